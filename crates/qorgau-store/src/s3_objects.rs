//! The S3 object versions that hold the vault's blobs (migration 0013):
//! written when a blob is uploaded, read by readers that fetch a blob
//! into the local cache and by `qorgau verify`, which checks that exact
//! version. See the migration for why the version is recorded.

use qorgau_core::{Sha256Digest, Timestamp};

use crate::connect::Store;
use crate::error::{QueryContext, StoreError};
use crate::rows::Reader;

/// One blob's object in one bucket, as uploaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3ObjectRecord {
    /// The bucket.
    pub bucket: String,
    /// The blob (its content address).
    pub sha256: Sha256Digest,
    /// The object's key (`sha256/<hex>`).
    pub key: String,
    /// The version the server gave the upload.
    pub version_id: String,
    /// `COMPLIANCE`, or empty for a store declared without object lock.
    pub lock_mode: String,
    /// The retention asked for; None without object lock.
    pub retain_until: Option<Timestamp>,
    /// When it was uploaded.
    pub uploaded_at: Timestamp,
}

impl Store {
    /// Records an uploaded object. A row already there for the blob and
    /// bucket is kept (two processes uploading the same content at once
    /// both succeed; the first row recorded is the one checked). Returns
    /// the row in force.
    pub async fn record_s3_object(
        &self,
        record: &S3ObjectRecord,
    ) -> Result<S3ObjectRecord, StoreError> {
        sqlx::query(
            "INSERT INTO s3_objects (bucket, sha256, object_key, version_id, lock_mode, \
             retain_until, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (bucket, sha256) DO NOTHING",
        )
        .bind(&record.bucket)
        .bind(record.sha256.to_hex())
        .bind(&record.key)
        .bind(&record.version_id)
        .bind(&record.lock_mode)
        .bind(
            record
                .retain_until
                .map(|t| t.to_utc_string())
                .unwrap_or_default(),
        )
        .bind(record.uploaded_at.to_utc_string())
        .execute(&self.pool)
        .await
        .doing(format!(
            "recording the S3 object of blob {} in bucket {}",
            record.sha256, record.bucket
        ))?;
        self.s3_object(&record.bucket, &record.sha256)
            .await?
            .ok_or_else(|| {
                StoreError::Conflict(format!(
                    "the S3 object of blob {} in bucket {} was recorded but cannot be read back",
                    record.sha256, record.bucket
                ))
            })
    }

    /// The blobs of items that have no recorded object in `bucket`, in
    /// address order: what `qorgau migrate --to-s3` has to replicate.
    pub async fn blobs_missing_from_bucket(
        &self,
        bucket: &str,
    ) -> Result<Vec<Sha256Digest>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT i.sha256 FROM items i WHERE NOT EXISTS \
             (SELECT 1 FROM s3_objects o WHERE o.bucket = $1 AND o.sha256 = i.sha256) \
             ORDER BY i.sha256",
        )
        .bind(bucket)
        .fetch_all(&self.pool)
        .await
        .doing(format!("listing the blobs not yet in bucket {bucket}"))?;
        rows.iter()
            .map(|row| {
                Reader::new(row, "items", "sha256")
                    .parse("sha256", Sha256Digest::parse)
                    .map_err(StoreError::from)
            })
            .collect()
    }

    /// The recorded object of one blob in one bucket, if any.
    pub async fn s3_object(
        &self,
        bucket: &str,
        sha256: &Sha256Digest,
    ) -> Result<Option<S3ObjectRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT bucket, sha256, object_key, version_id, lock_mode, retain_until, uploaded_at \
             FROM s3_objects WHERE bucket = $1 AND sha256 = $2",
        )
        .bind(bucket)
        .bind(sha256.to_hex())
        .fetch_optional(&self.pool)
        .await
        .doing(format!(
            "reading the S3 object of blob {sha256} in bucket {bucket}"
        ))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let r = Reader::new(&row, "s3_objects", "sha256");
        let retain_until = r.text("retain_until")?;
        Ok(Some(S3ObjectRecord {
            bucket: r.text("bucket")?,
            sha256: r.parse("sha256", Sha256Digest::parse)?,
            key: r.text("object_key")?,
            version_id: r.text("version_id")?,
            lock_mode: r.text("lock_mode")?,
            retain_until: if retain_until.is_empty() {
                None
            } else {
                Some(r.parse("retain_until", Timestamp::parse)?)
            },
            uploaded_at: r.parse("uploaded_at", Timestamp::parse)?,
        }))
    }
}
