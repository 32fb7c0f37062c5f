//! One read of the data, two digests and a copy.
//!
//! Forensic practice wants MD5 and SHA-256 of every file (study section 5.3),
//! and a seized disk image can be hundreds of GiB: reading it twice, or
//! hashing after copying, doubles the time an investigator waits. Here the
//! source is read once, in chunks; each chunk is handed, without copying, to
//! an MD5 thread, a SHA-256 thread and a writer thread. MD5 cannot be split
//! within one stream, so its thread sets the pace; SHA-256 (with the CPU's SHA
//! extensions where present) and the copy run beside it on the other core.
//!
//! Large copies bypass the page cache (`O_DIRECT`): on virtual machines
//! filling the page cache costs as much CPU as MD5 itself, and the later
//! fsync would then wait for the whole file. Buffers come from a fixed pool,
//! so memory stays the same whatever the file size.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use md5::Md5;
use qorgau_core::{Md5Digest, Sha256Digest};
use sha2::{Digest, Sha256};

/// Size of one chunk of the pipeline.
const CHUNK: usize = 4 << 20;
/// Chunks in flight; bounds memory at `POOL * CHUNK`.
const POOL: usize = 16;
/// Concurrent writes: virtual disks deliver far more with several
/// requests in flight than with one at a time.
const WRITERS: usize = 4;
/// Files from this size on go through the threaded pipeline.
pub const PIPELINE_MIN: u64 = 16 << 20;
/// Alignment `O_DIRECT` needs for buffers, offsets and lengths.
const ALIGN: usize = 4096;
/// How many leading bytes are kept for media type detection.
pub const HEAD_LEN: usize = 8192;

/// What one pass over a file produced.
#[derive(Debug, Clone)]
pub struct Hashed {
    /// SHA-256 of the bytes read.
    pub sha256: Sha256Digest,
    /// MD5 of the bytes read.
    pub md5: Md5Digest,
    /// Number of bytes read (and written).
    pub size: u64,
    /// The first bytes, for content sniffing.
    pub head: Vec<u8>,
}

/// Which side of the copy failed: the investigator needs to know whether
/// the original or the vault is the problem.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    /// Reading the original failed.
    #[error("reading the original: {0}")]
    Read(#[source] io::Error),
    /// Writing into the vault failed (disk full, permissions…).
    #[error("writing into the vault: {0}")]
    Write(#[source] io::Error),
}

/// When the copy's bytes must be on stable storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// fsync the copy before returning.
    Each,
    /// The caller makes a whole batch durable at once (for example with
    /// [`crate::blobs::BlobStore::sync`]); large copies are fsynced anyway,
    /// since they bypass the page cache and the fsync costs nothing more.
    Batched,
}

/// Reads `source` to its end, writing the bytes to a new file at `dest`
/// and hashing them on the way.
pub fn copy_and_hash(
    source: &mut File,
    size_hint: u64,
    dest: &Path,
    durability: Durability,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Hashed, CopyError> {
    if size_hint >= PIPELINE_MIN {
        copy_pipelined(source, dest, progress)
    } else {
        copy_simple(source, dest, durability, progress)
    }
}

/// Hashes a reader without storing it (used by `verify`).
pub fn hash_reader(reader: &mut impl Read) -> io::Result<(Sha256Digest, Md5Digest, u64)> {
    let mut sha = Sha256::new();
    let mut md5 = Md5::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        sha.update(&buf[..n]);
        md5.update(&buf[..n]);
        size += n as u64;
    }
    Ok((
        Sha256Digest::from_bytes(sha.finalize().into()),
        Md5Digest::from_bytes(md5.finalize().into()),
        size,
    ))
}

fn create_dest(dest: &Path, direct: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    if direct {
        options.custom_flags(libc::O_DIRECT);
    }
    options.open(dest)
}

fn copy_simple(
    source: &mut File,
    dest: &Path,
    durability: Durability,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Hashed, CopyError> {
    let mut out = create_dest(dest, false).map_err(CopyError::Write)?;
    let mut sha = Sha256::new();
    let mut md5 = Md5::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut head = Vec::new();
    let mut size = 0u64;
    loop {
        let n = match source.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(CopyError::Read(e)),
        };
        let data = &buf[..n];
        if head.len() < HEAD_LEN {
            head.extend_from_slice(&data[..n.min(HEAD_LEN - head.len())]);
        }
        sha.update(data);
        md5.update(data);
        out.write_all(data).map_err(CopyError::Write)?;
        size += n as u64;
        progress(n as u64);
    }
    if durability == Durability::Each {
        out.sync_all().map_err(CopyError::Write)?;
    }
    Ok(Hashed {
        sha256: Sha256Digest::from_bytes(sha.finalize().into()),
        md5: Md5Digest::from_bytes(md5.finalize().into()),
        size,
        head,
    })
}

/// A chunk buffer whose usable part starts at a 4 KiB boundary, made with
/// safe code by over-allocating and skipping to the boundary.
struct Chunk {
    storage: Vec<u8>,
    offset: usize,
    len: usize,
    /// Where the chunk's bytes belong in the file.
    position: u64,
}

impl Chunk {
    fn new() -> Self {
        let storage = vec![0u8; CHUNK + ALIGN];
        let offset = storage.as_ptr().align_offset(ALIGN);
        Self {
            storage,
            offset,
            len: 0,
            position: 0,
        }
    }

    fn space(&mut self) -> &mut [u8] {
        &mut self.storage[self.offset..self.offset + CHUNK]
    }

    fn data(&self) -> &[u8] {
        &self.storage[self.offset..self.offset + self.len]
    }
}

/// A chunk shared by the three consumers; the last one to drop it sends it
/// home to the pool.
struct Pooled {
    chunk: Option<Chunk>,
    home: SyncSender<Chunk>,
}

impl Drop for Pooled {
    fn drop(&mut self) {
        if let Some(chunk) = self.chunk.take() {
            let _ = self.home.send(chunk);
        }
    }
}

impl Pooled {
    fn data(&self) -> &[u8] {
        self.chunk.as_ref().map_or(&[], Chunk::data)
    }
}

fn copy_pipelined(
    source: &mut File,
    dest: &Path,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Hashed, CopyError> {
    let (direct, out) = match create_dest(dest, true) {
        Ok(file) => (true, file),
        // Some file systems (tmpfs, some network mounts) refuse O_DIRECT.
        Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {
            (false, create_dest(dest, false).map_err(CopyError::Write)?)
        }
        Err(e) => return Err(CopyError::Write(e)),
    };
    let (pool_tx, pool_rx) = sync_channel::<Chunk>(POOL);
    for _ in 0..POOL {
        let _ = pool_tx.send(Chunk::new());
    }
    let (md5_tx, md5_rx) = sync_channel::<Arc<Pooled>>(POOL);
    let (sha_tx, sha_rx) = sync_channel::<Arc<Pooled>>(POOL);
    let (write_tx, write_rx) = sync_channel::<Arc<Pooled>>(POOL);
    let write_rx = Mutex::new(write_rx);
    let writer = ChunkWriter {
        tail: if direct {
            Some(
                OpenOptions::new()
                    .write(true)
                    .open(dest)
                    .map_err(CopyError::Write)?,
            )
        } else {
            None
        },
        out,
    };
    let write_failed = AtomicBool::new(false);
    let write_error: Mutex<Option<io::Error>> = Mutex::new(None);

    let (read_result, md5, sha256) = std::thread::scope(|scope| {
        let md5_thread = scope.spawn(move || {
            let mut md5 = Md5::new();
            for chunk in md5_rx {
                md5.update(chunk.data());
            }
            Md5Digest::from_bytes(md5.finalize().into())
        });
        let sha_thread = scope.spawn(move || {
            let mut sha = Sha256::new();
            for chunk in sha_rx {
                sha.update(chunk.data());
            }
            Sha256Digest::from_bytes(sha.finalize().into())
        });
        let failed = &write_failed;
        let error_slot = &write_error;
        let writer = &writer;
        let write_rx = &write_rx;
        for _ in 0..WRITERS {
            scope.spawn(move || {
                if let Err(e) = writer.drain(write_rx) {
                    let mut slot = error_slot.lock().unwrap_or_else(|p| p.into_inner());
                    slot.get_or_insert(e);
                    failed.store(true, Ordering::SeqCst);
                }
            });
        }

        let read_result = read_chunks(
            source,
            &pool_rx,
            &pool_tx,
            [&md5_tx, &sha_tx, &write_tx],
            &write_failed,
            progress,
        );
        drop((md5_tx, sha_tx, write_tx));
        let md5 = md5_thread
            .join()
            .unwrap_or_else(|_| Md5Digest::from_bytes([0; 16]));
        let sha256 = sha_thread
            .join()
            .unwrap_or_else(|_| Sha256Digest::from_bytes([0; 32]));
        (read_result, md5, sha256)
    });
    if let Some(e) = write_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(CopyError::Write(e));
    }
    writer.out.sync_all().map_err(CopyError::Write)?;
    let (size, head) = read_result.map_err(CopyError::Read)?;
    Ok(Hashed {
        sha256,
        md5,
        size,
        head,
    })
}

fn read_chunks(
    source: &mut File,
    pool_rx: &Receiver<Chunk>,
    pool_tx: &SyncSender<Chunk>,
    consumers: [&SyncSender<Arc<Pooled>>; 3],
    write_failed: &AtomicBool,
    progress: &(dyn Fn(u64) + Sync),
) -> io::Result<(u64, Vec<u8>)> {
    let mut size = 0u64;
    let mut head = Vec::new();
    loop {
        if write_failed.load(Ordering::SeqCst) {
            return Ok((size, head));
        }
        let Ok(mut chunk) = pool_rx.recv() else {
            return Ok((size, head));
        };
        let filled = fill(source, chunk.space())?;
        if filled == 0 {
            return Ok((size, head));
        }
        chunk.len = filled;
        chunk.position = size;
        if head.len() < HEAD_LEN {
            head.extend_from_slice(&chunk.data()[..filled.min(HEAD_LEN - head.len())]);
        }
        size += filled as u64;
        let shared = Arc::new(Pooled {
            chunk: Some(chunk),
            home: pool_tx.clone(),
        });
        for consumer in consumers {
            if consumer.send(Arc::clone(&shared)).is_err() {
                return Ok((size, head));
            }
        }
        drop(shared);
        progress(filled as u64);
        if filled < CHUNK {
            return Ok((size, head));
        }
    }
}

/// Reads until `buf` is full or the source ends.
fn fill(source: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match source.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Writes chunks at their positions from several threads at once.
struct ChunkWriter {
    /// The destination; opened with `O_DIRECT` when the file system allows.
    out: File,
    /// A second, buffered handle for a final partial block, which
    /// `O_DIRECT` cannot write; `None` when `out` is buffered already.
    tail: Option<File>,
}

impl ChunkWriter {
    fn drain(&self, rx: &Mutex<Receiver<Arc<Pooled>>>) -> io::Result<()> {
        loop {
            let next = rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
            let Ok(chunk) = next else {
                return Ok(());
            };
            let data = chunk.data();
            let position = chunk.chunk.as_ref().map_or(0, |c| c.position);
            match &self.tail {
                None => self.out.write_all_at(data, position)?,
                Some(tail) => {
                    let aligned = data.len() - data.len() % ALIGN;
                    self.out.write_all_at(&data[..aligned], position)?;
                    if aligned < data.len() {
                        tail.write_all_at(&data[aligned..], position + aligned as u64)?;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(data: &[u8]) -> (String, String) {
        (
            hex::encode(Sha256::digest(data)),
            hex::encode(Md5::digest(data)),
        )
    }

    #[test]
    fn both_paths_agree_with_one_shot_digests_at_awkward_sizes() {
        let dir = tempfile::tempdir().unwrap();
        for (i, len) in [
            0usize,
            1,
            4095,
            4096,
            4097,
            CHUNK - 1,
            CHUNK,
            CHUNK + 1,
            3 * CHUNK + 12345,
        ]
        .into_iter()
        .enumerate()
        {
            let data: Vec<u8> = (0..len).map(|j| (j * 31 + i) as u8).collect();
            let src = dir.path().join(format!("src{i}"));
            std::fs::write(&src, &data).unwrap();
            for (mode, pipelined) in [("s", false), ("p", true)] {
                let dest = dir.path().join(format!("dst{i}{mode}"));
                let mut f = File::open(&src).unwrap();
                let counted = std::sync::atomic::AtomicU64::new(0);
                let progress = |n: u64| {
                    counted.fetch_add(n, Ordering::Relaxed);
                };
                let hashed = if pipelined {
                    copy_pipelined(&mut f, &dest, &progress).unwrap()
                } else {
                    copy_simple(&mut f, &dest, Durability::Each, &progress).unwrap()
                };
                let (sha, md5) = reference(&data);
                assert_eq!(hashed.sha256.to_hex(), sha, "len {len} {mode}");
                assert_eq!(hashed.md5.to_hex(), md5, "len {len} {mode}");
                assert_eq!(hashed.size, len as u64);
                assert_eq!(counted.load(Ordering::Relaxed), len as u64);
                assert_eq!(hashed.head, data[..len.min(HEAD_LEN)]);
                assert_eq!(
                    std::fs::read(&dest).unwrap(),
                    data,
                    "copy of len {len} {mode}"
                );
            }
        }
    }

    #[test]
    fn refuses_to_overwrite_an_existing_destination() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        std::fs::write(&src, b"abc").unwrap();
        let dest = dir.path().join("dest");
        std::fs::write(&dest, b"old").unwrap();
        let err = copy_and_hash(
            &mut File::open(&src).unwrap(),
            3,
            &dest,
            Durability::Each,
            &|_| {},
        )
        .unwrap_err();
        assert!(matches!(err, CopyError::Write(_)));
        assert_eq!(std::fs::read(&dest).unwrap(), b"old");
    }
}
