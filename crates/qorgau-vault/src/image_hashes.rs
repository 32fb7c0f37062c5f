//! Perceptual hashes of the vault's images, computed from the stored copies.
//!
//! Acquisition hashes each JPEG, PNG, GIF and WebP item from its copy in the
//! vault (never the original) at the point where it reads the metadata, and
//! the rows go into the same transaction as the items ([`crate::acquire`]).
//! [`index_missing`] is the backfill for items acquired before hashing
//! existed, or hashed by an older [`ALGORITHM`]: `qorgau media index`.
//!
//! Videos get the hashes of their key frames (`qorgau_media::video`, with
//! ffmpeg), stored beside the video's hash row, so a photo reused in a video
//! is found by `qorgau media similar` like another copy of the photo.
//!
//! An image that cannot be hashed (damaged, over the pixel limit) is still
//! evidence: acquisition goes on, and the reason is kept as the blob's hash
//! row so the backfill does not try it again. A read error is not kept
//! (it may pass); the backfill tries such a blob next time. Nor is a video
//! seen while ffmpeg is missing or too slow: once it is installed, `qorgau
//! media index` hashes it.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use qorgau_core::{Sha256Digest, Timestamp};
use qorgau_media::phash::{self, ALGORITHM, HashError};
use qorgau_media::video::{self, VideoError};
use qorgau_store::{MediaFrame, MediaHashOutcome, MediaHashRecord, UnhashedImage};

use crate::error::VaultError;
use crate::vault::Vault;

/// The image types whose items get perceptual hashes (as the vault detects
/// them from magic bytes); videos (`qorgau_media::video::VIDEO_TYPES`) get
/// those of their key frames.
pub const IMAGE_TYPES: &[&str] = &["image/jpeg", "image/png", "image/gif", "image/webp"];

/// Hashes the stored copy at `copy` if `media_type` is an image type that is
/// hashed; `label` names the item in a failure reason (its original path).
///
/// `None` when the type is not hashed, or when the copy could not be read
/// (nothing is recorded then, so that the backfill tries again).
pub fn hash_copy(
    copy: &Path,
    media_type: &str,
    sha256: Sha256Digest,
    label: &str,
) -> Option<MediaHashRecord> {
    if video::hashable_video(media_type) {
        return hash_video_copy(copy, sha256, label);
    }
    if !phash::hashable(media_type) {
        return None;
    }
    let outcome = match phash::hash_file(copy) {
        Ok(h) => MediaHashOutcome::Hashed {
            phash: h.phash,
            dhash: h.dhash,
            width: h.width,
            height: h.height,
        },
        Err(HashError::Io { .. }) => return None,
        // The hasher names its input; the copy's path in the vault means
        // nothing to the reader, so the reason is told of the item.
        Err(e) => MediaHashOutcome::Failed {
            reason: e.to_string().replace(&copy.display().to_string(), label),
        },
    };
    Some(MediaHashRecord {
        sha256,
        algorithm: ALGORITHM.to_string(),
        outcome,
        computed_at: Timestamp::now(),
    })
}

/// The key frames of a video's stored copy; see [`hash_copy`].
fn hash_video_copy(copy: &Path, sha256: Sha256Digest, label: &str) -> Option<MediaHashRecord> {
    let outcome = match video::hash_video(copy, label) {
        Ok(v) => MediaHashOutcome::KeyFrames {
            frames: v
                .frames
                .iter()
                .map(|f| MediaFrame {
                    time_ms: f.time_ms,
                    phash: f.hashes.phash,
                    dhash: f.hashes.dhash,
                })
                .collect(),
            width: v.width,
            height: v.height,
        },
        // Not kept: they may pass (ffmpeg installed, a quieter machine).
        Err(e @ VideoError::NoFfmpeg { .. }) => {
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| {
                tracing::warn!(
                    "{e}; videos are stored without it, `qorgau media index` hashes them later"
                )
            });
            return None;
        }
        Err(e @ (VideoError::TimedOut { .. } | VideoError::Io { .. })) => {
            tracing::warn!("{e}");
            return None;
        }
        Err(e @ (VideoError::Decode { .. } | VideoError::NoFrames { .. })) => {
            MediaHashOutcome::Failed {
                reason: e.to_string().replace(&copy.display().to_string(), label),
            }
        }
    };
    Some(MediaHashRecord {
        sha256,
        algorithm: ALGORITHM.to_string(),
        outcome,
        computed_at: Timestamp::now(),
    })
}

/// Hears the backfill's progress, for a progress bar and `--json` lines.
pub trait IndexObserver: Sync {
    /// This many blobs are to be hashed.
    fn planned(&self, _blobs: u64) {}
    /// One blob is done: hashed, or failed with a stored reason.
    fn done(&self, _image: &UnhashedImage, _record: &MediaHashRecord) {}
    /// One blob could not be read; nothing was stored for it.
    fn unreadable(&self, _image: &UnhashedImage, _reason: &str) {}
}

/// What the backfill did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndexSummary {
    /// Blobs without a hash row before the run.
    pub planned: u64,
    /// Blobs hashed.
    pub hashed: u64,
    /// Blobs that are not hashable images after all (reason stored).
    pub failed: u64,
    /// Blobs whose copy could not be read (nothing stored; run `verify`).
    pub unreadable: u64,
}

/// Blobs per transaction of the backfill.
const CHUNK: usize = 64;

/// Hashes every image blob of the vault that has no hash row of the current
/// [`ALGORITHM`], on all cores, storing the rows a chunk per transaction (an
/// interrupted run keeps what it stored and the next run goes on from there).
pub async fn index_missing(
    vault: &Vault,
    observer: &dyn IndexObserver,
) -> Result<IndexSummary, VaultError> {
    let types: Vec<&str> = IMAGE_TYPES
        .iter()
        .chain(video::VIDEO_TYPES)
        .copied()
        .collect();
    let todo = vault.store.unhashed_images(ALGORITHM, &types).await?;
    let mut summary = IndexSummary {
        planned: todo.len() as u64,
        ..IndexSummary::default()
    };
    observer.planned(summary.planned);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    for chunk in todo.chunks(CHUNK) {
        // With S3, blobs not cached are fetched first; one that cannot be
        // is left to be reported unreadable below.
        for image in chunk {
            let _ = vault.blobs.local(&image.sha256).await;
        }
        let results = tokio::task::block_in_place(|| hash_chunk(vault, chunk, threads));
        let records: Vec<MediaHashRecord> = results.iter().flatten().cloned().collect();
        vault.store.add_media_hashes(&records).await?;
        for (image, result) in chunk.iter().zip(results) {
            match result {
                Some(record) => {
                    match record.outcome {
                        MediaHashOutcome::Hashed { .. } | MediaHashOutcome::KeyFrames { .. } => {
                            summary.hashed += 1
                        }
                        MediaHashOutcome::Failed { .. } => summary.failed += 1,
                    }
                    observer.done(image, &record);
                }
                None => {
                    summary.unreadable += 1;
                    observer.unreadable(
                        image,
                        &format!(
                            "the vault's copy {} of {} cannot be read; run `qorgau verify`",
                            vault.blobs.cache_path(&image.sha256).display(),
                            image.original_path
                        ),
                    );
                }
            }
        }
    }
    Ok(summary)
}

fn hash_chunk(
    vault: &Vault,
    chunk: &[UnhashedImage],
    threads: usize,
) -> Vec<Option<MediaHashRecord>> {
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<MediaHashRecord>> = vec![None; chunk.len()];
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(chunk.len()))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        let Some(image) = chunk.get(i) else {
                            return done;
                        };
                        let record = hash_copy(
                            &vault.blobs.cache_path(&image.sha256),
                            &image.media_type,
                            image.sha256,
                            &image.original_path,
                        );
                        done.push((i, record));
                    }
                })
            })
            .collect();
        for worker in workers {
            // A worker that panicked leaves its blobs unhashed (None): they
            // are reported unreadable and tried again next time.
            if let Ok(done) = worker.join() {
                for (i, record) in done {
                    if let Some(slot) = results.get_mut(i) {
                        *slot = record;
                    }
                }
            }
        }
    });
    results
}
