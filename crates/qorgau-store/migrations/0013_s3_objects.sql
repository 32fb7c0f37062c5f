-- Evidence blobs in S3-compatible object storage (issue 9).
--
-- Same portable subset as 0001. One row per blob and bucket: the object
-- version Qorgau uploaded (`sha256/<hex>` in the bucket), the retention it
-- asked for, and when. Object lock implies versioning: anyone with write
-- access can PUT a new version over the key while the locked original
-- stays, so readers and `qorgau verify` read the version recorded here and
-- report any other version of the key that holds different bytes.
--
-- `lock_mode` is COMPLIANCE, or empty when the operator declared a store
-- without object lock (QORGAU_S3_NO_OBJECT_LOCK); `retain_until` is then
-- empty too. Rows are append-only (triggers in connect.rs): a row that
-- changes would let an attacker point the vault at a version of their own.

CREATE TABLE s3_objects (
    bucket TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    object_key TEXT NOT NULL,
    version_id TEXT NOT NULL,
    lock_mode TEXT NOT NULL,
    retain_until TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    PRIMARY KEY (bucket, sha256)
);
