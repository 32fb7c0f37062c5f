//! Perceptual hashes of the vault's images (migration 0011) and of its
//! videos' key frames (migration 0017): written with the items at
//! acquisition, backfilled by `qorgau media index`, read whole to build the
//! in-memory index of `qorgau media similar`.
//!
//! Rows are per blob and hashing version, not per item: see the migration
//! for why, and for how the 64 bits are kept in a signed BIGINT.

use futures_util::TryStreamExt;
use qorgau_core::{Id, Sha256Digest, Timestamp};
use sqlx::AnyConnection;

use crate::connect::Store;
use crate::error::{QueryContext, StoreError};
use crate::rows::Reader;

/// What hashing one blob gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaHashOutcome {
    /// The image was decoded and hashed.
    Hashed {
        /// DCT perceptual hash.
        phash: u64,
        /// Difference hash.
        dhash: u64,
        /// Width as displayed.
        width: u32,
        /// Height as displayed.
        height: u32,
    },
    /// A video: its kept key frames were hashed (each with the image
    /// hashing, so frames and images compare).
    KeyFrames {
        /// The frames, in time order.
        frames: Vec<MediaFrame>,
        /// The video's width.
        width: u32,
        /// The video's height.
        height: u32,
    },
    /// The blob could not be hashed (damaged, over the pixel limit, not a
    /// format the hasher decodes); kept so it is not tried again.
    Failed {
        /// Why, as the hasher said it.
        reason: String,
    },
}

/// One key frame of a video.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediaFrame {
    /// Its time from the start of the video, in milliseconds.
    pub time_ms: u64,
    /// DCT perceptual hash.
    pub phash: u64,
    /// Difference hash.
    pub dhash: u64,
}

/// A stored key frame as the index needs it: its video's blob, its time and
/// its two hashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredFrameHash {
    /// The video's blob; its items are found by this digest.
    pub sha256: Sha256Digest,
    /// The frame's time from the start, in milliseconds.
    pub time_ms: u64,
    /// DCT perceptual hash.
    pub phash: u64,
    /// Difference hash.
    pub dhash: u64,
}

/// The perceptual hashes of one blob by one hashing version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaHashRecord {
    /// The blob (its content address).
    pub sha256: Sha256Digest,
    /// The hashing version (`qorgau_media::phash::ALGORITHM`): hashes of
    /// different versions are never compared.
    pub algorithm: String,
    /// The hashes, or why there are none.
    pub outcome: MediaHashOutcome,
    /// When they were computed.
    pub computed_at: Timestamp,
}

/// A hashed image as the index needs it: its blob and its two hashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredImageHash {
    /// The blob; its items are found by this digest.
    pub sha256: Sha256Digest,
    /// DCT perceptual hash.
    pub phash: u64,
    /// Difference hash.
    pub dhash: u64,
}

/// A blob that has items of an image type but no hash row of the current
/// version yet, with one of its items for progress and error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnhashedImage {
    /// The blob to hash.
    pub sha256: Sha256Digest,
    /// Its media type, as detected at acquisition.
    pub media_type: String,
    /// One item with this content (the first acquired).
    pub item_id: Id,
    /// That item's original path.
    pub original_path: String,
}

/// The 64 hash bits in a BIGINT: the same bits as a signed integer.
fn to_column(hash: u64) -> i64 {
    i64::from_ne_bytes(hash.to_ne_bytes())
}

fn from_column(value: i64) -> u64 {
    u64::from_ne_bytes(value.to_ne_bytes())
}

/// Inserts hash rows on an open connection (inside the caller's
/// transaction); a row already there for the blob and version is kept.
/// Returns how many rows were new.
pub(crate) async fn insert_media_hashes(
    conn: &mut AnyConnection,
    records: &[MediaHashRecord],
) -> Result<u64, StoreError> {
    let mut inserted = 0;
    for record in records {
        let (phash, dhash, width, height, error) = match &record.outcome {
            MediaHashOutcome::Hashed {
                phash,
                dhash,
                width,
                height,
            } => (
                Some(to_column(*phash)),
                Some(to_column(*dhash)),
                Some(i64::from(*width)),
                Some(i64::from(*height)),
                None,
            ),
            MediaHashOutcome::KeyFrames { width, height, .. } => (
                None,
                None,
                Some(i64::from(*width)),
                Some(i64::from(*height)),
                None,
            ),
            MediaHashOutcome::Failed { reason } => (None, None, None, None, Some(reason.as_str())),
        };
        let result = sqlx::query(
            "INSERT INTO media_hashes (sha256, algorithm, phash, dhash, width, height, error, \
             computed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (sha256, algorithm) DO NOTHING",
        )
        .bind(record.sha256.to_hex())
        .bind(&record.algorithm)
        .bind(phash)
        .bind(dhash)
        .bind(width)
        .bind(height)
        .bind(error)
        .bind(record.computed_at.to_utc_string())
        .execute(&mut *conn)
        .await
        .doing(format!(
            "storing the perceptual hashes of blob {}",
            record.sha256
        ))?;
        inserted += result.rows_affected();
        // A video's frames go in only with its new row: a row already there
        // has its frames already.
        if let MediaHashOutcome::KeyFrames { frames, .. } = &record.outcome
            && result.rows_affected() > 0
        {
            for (n, frame) in frames.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO media_frames (sha256, algorithm, frame, time_ms, phash, dhash) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(record.sha256.to_hex())
                .bind(&record.algorithm)
                .bind(n as i64)
                .bind(i64::try_from(frame.time_ms).unwrap_or(i64::MAX))
                .bind(to_column(frame.phash))
                .bind(to_column(frame.dhash))
                .execute(&mut *conn)
                .await
                .doing(format!(
                    "storing the key frames of video blob {}",
                    record.sha256
                ))?;
            }
        }
    }
    Ok(inserted)
}

fn frame_from_row(row: &sqlx::any::AnyRow) -> Result<StoredFrameHash, StoreError> {
    let r = Reader::new(row, "media_frames", "sha256");
    Ok(StoredFrameHash {
        sha256: r.parse("sha256", Sha256Digest::parse)?,
        time_ms: r.parse_int("time_ms", r.int("time_ms")?, u64::try_from)?,
        phash: from_column(r.int("phash")?),
        dhash: from_column(r.int("dhash")?),
    })
}

impl Store {
    /// Stores hash rows in one transaction (the backfill of `qorgau media
    /// index`); rows already there are kept. Returns how many were new.
    pub async fn add_media_hashes(&self, records: &[MediaHashRecord]) -> Result<u64, StoreError> {
        if records.is_empty() {
            return Ok(0);
        }
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let inserted = insert_media_hashes(&mut tx, records).await?;
        tx.commit()
            .await
            .doing(format!("committing {} perceptual hash rows", records.len()))?;
        Ok(inserted)
    }

    /// The hash row of one blob by one hashing version, if any.
    pub async fn media_hash(
        &self,
        sha256: &Sha256Digest,
        algorithm: &str,
    ) -> Result<Option<MediaHashRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT sha256, algorithm, phash, dhash, width, height, error, computed_at \
             FROM media_hashes WHERE sha256 = $1 AND algorithm = $2",
        )
        .bind(sha256.to_hex())
        .bind(algorithm)
        .fetch_optional(&self.pool)
        .await
        .doing(format!("reading the perceptual hashes of blob {sha256}"))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let r = Reader::new(&row, "media_hashes", "sha256");
        let width = r.parse_int("width", r.opt_int("width")?.unwrap_or(0), u32::try_from)?;
        let height = r.parse_int("height", r.opt_int("height")?.unwrap_or(0), u32::try_from)?;
        let outcome = match (
            r.opt_int("phash")?,
            r.opt_int("dhash")?,
            r.opt_text("error")?,
        ) {
            (Some(phash), Some(dhash), _) => MediaHashOutcome::Hashed {
                phash: from_column(phash),
                dhash: from_column(dhash),
                width,
                height,
            },
            (None, None, None) => {
                let rows = sqlx::query(
                    "SELECT sha256, time_ms, phash, dhash FROM media_frames \
                     WHERE sha256 = $1 AND algorithm = $2 ORDER BY frame",
                )
                .bind(sha256.to_hex())
                .bind(algorithm)
                .fetch_all(&self.pool)
                .await
                .doing(format!("reading the key frames of video blob {sha256}"))?;
                let mut frames = Vec::with_capacity(rows.len());
                for row in &rows {
                    let f = frame_from_row(row)?;
                    frames.push(MediaFrame {
                        time_ms: f.time_ms,
                        phash: f.phash,
                        dhash: f.dhash,
                    });
                }
                MediaHashOutcome::KeyFrames {
                    frames,
                    width,
                    height,
                }
            }
            (_, _, error) => MediaHashOutcome::Failed {
                reason: error.unwrap_or_default(),
            },
        };
        Ok(Some(MediaHashRecord {
            sha256: r.parse("sha256", Sha256Digest::parse)?,
            algorithm: r.text("algorithm")?,
            outcome,
            computed_at: r.parse("computed_at", Timestamp::parse)?,
        }))
    }

    /// Every hashed image of one version, of one case's items or of all,
    /// once per blob, in blob order: what the similarity index is built
    /// from. Blobs that could not be hashed are left out.
    pub async fn image_hashes(
        &self,
        algorithm: &str,
        case_id: Option<Id>,
    ) -> Result<Vec<StoredImageHash>, StoreError> {
        let query = match case_id {
            Some(case) => sqlx::query(
                "SELECT h.sha256, h.phash, h.dhash FROM media_hashes h \
                 WHERE h.algorithm = $1 AND h.phash IS NOT NULL AND h.dhash IS NOT NULL \
                 AND EXISTS (SELECT 1 FROM items i WHERE i.sha256 = h.sha256 AND i.case_id = $2) \
                 ORDER BY h.sha256",
            )
            .bind(algorithm)
            .bind(case.to_string()),
            None => sqlx::query(
                "SELECT sha256, phash, dhash FROM media_hashes \
                 WHERE algorithm = $1 AND phash IS NOT NULL AND dhash IS NOT NULL \
                 ORDER BY sha256",
            )
            .bind(algorithm),
        };
        // Streamed: 10 million rows held as driver rows at once would take
        // gigabytes; each becomes 48 bytes as it arrives.
        let mut rows = query.fetch(&self.pool);
        let mut out = Vec::new();
        while let Some(row) = rows
            .try_next()
            .await
            .doing("reading the perceptual hashes of the vault's images")?
        {
            let r = Reader::new(&row, "media_hashes", "sha256");
            out.push(StoredImageHash {
                sha256: r.parse("sha256", Sha256Digest::parse)?,
                phash: from_column(r.int("phash")?),
                dhash: from_column(r.int("dhash")?),
            });
        }
        Ok(out)
    }

    /// Every stored key frame of one version, of one case's videos or of
    /// all, in blob and time order: what the similarity index adds to the
    /// images.
    pub async fn frame_hashes(
        &self,
        algorithm: &str,
        case_id: Option<Id>,
    ) -> Result<Vec<StoredFrameHash>, StoreError> {
        let query = match case_id {
            Some(case) => sqlx::query(
                "SELECT f.sha256, f.time_ms, f.phash, f.dhash FROM media_frames f \
                 WHERE f.algorithm = $1 \
                 AND EXISTS (SELECT 1 FROM items i WHERE i.sha256 = f.sha256 AND i.case_id = $2) \
                 ORDER BY f.sha256, f.frame",
            )
            .bind(algorithm)
            .bind(case.to_string()),
            None => sqlx::query(
                "SELECT sha256, time_ms, phash, dhash FROM media_frames \
                 WHERE algorithm = $1 ORDER BY sha256, frame",
            )
            .bind(algorithm),
        };
        let mut rows = query.fetch(&self.pool);
        let mut out = Vec::new();
        while let Some(row) = rows
            .try_next()
            .await
            .doing("reading the key frames of the vault's videos")?
        {
            out.push(frame_from_row(&row)?);
        }
        Ok(out)
    }

    /// How many hashed images of one version the vault holds: a server
    /// keeping the similarity index in memory rebuilds it when this changes
    /// (rows are only ever added).
    pub async fn image_hash_count(&self, algorithm: &str) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM media_hashes \
             WHERE algorithm = $1 AND phash IS NOT NULL AND dhash IS NOT NULL",
        )
        .bind(algorithm)
        .fetch_one(&self.pool)
        .await
        .doing("counting the vault's hashed images")?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Blobs with items of one of `media_types` and no hash row of
    /// `algorithm`, each once (with its first acquired item): what `qorgau
    /// media index` has to hash.
    pub async fn unhashed_images(
        &self,
        algorithm: &str,
        media_types: &[&str],
    ) -> Result<Vec<UnhashedImage>, StoreError> {
        if media_types.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (0..media_types.len())
            .map(|i| format!("${}", i + 2))
            .collect();
        let sql = format!(
            "SELECT i.id, i.sha256, i.media_type, i.original_path FROM items i \
             WHERE i.media_type IN ({}) AND NOT EXISTS (SELECT 1 FROM media_hashes h \
             WHERE h.sha256 = i.sha256 AND h.algorithm = $1) ORDER BY i.acquired_at, i.id",
            placeholders.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(algorithm);
        for media_type in media_types {
            query = query.bind(*media_type);
        }
        let rows = query
            .fetch_all(&self.pool)
            .await
            .doing("listing images without perceptual hashes")?;
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for row in &rows {
            let r = Reader::new(row, "items", "id");
            let sha256 = r.parse("sha256", Sha256Digest::parse)?;
            if seen.insert(sha256) {
                out.push(UnhashedImage {
                    sha256,
                    media_type: r.text("media_type")?,
                    item_id: r.parse("id", Id::parse)?,
                    original_path: r.text("original_path")?,
                });
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_keep_all_64_bits_in_a_signed_column() {
        for hash in [
            0,
            1,
            u64::MAX,
            1 << 63,
            0x8000_0000_0000_0001,
            0x7fff_ffff_ffff_ffff,
        ] {
            assert_eq!(from_column(to_column(hash)), hash);
        }
        assert!(to_column(1 << 63) < 0);
    }
}
