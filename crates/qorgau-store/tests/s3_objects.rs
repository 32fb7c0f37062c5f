//! The recorded S3 object versions of the vault's blobs (migration 0013),
//! on SQLite by default and on PostgreSQL when `QORGAU_TEST_DATABASE_URL`
//! is set: read back as written, the first record of a blob kept, and rows
//! that neither UPDATE nor DELETE can change.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use qorgau_core::{Id, Sha256Digest, Timestamp};
use qorgau_store::testing::TestDatabase;
use qorgau_store::{S3ObjectRecord, Store};

#[tokio::test]
async fn object_versions_are_recorded_once_and_never_changed() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(dir.path()).await;
    let store = Store::open(&db.location).await.unwrap();
    let bucket = format!("bucket-{}", Id::new());
    let sha = Sha256Digest::from_bytes([7; 32]);
    let first = S3ObjectRecord {
        bucket: bucket.clone(),
        sha256: sha,
        key: format!("sha256/{}", sha.to_hex()),
        version_id: "v-locked".into(),
        lock_mode: "COMPLIANCE".into(),
        retain_until: Some(Timestamp::parse("2036-12-07T10:00:00Z").unwrap()),
        uploaded_at: Timestamp::now(),
    };
    assert!(store.s3_object(&bucket, &sha).await.unwrap().is_none());
    let kept = store.record_s3_object(&first).await.unwrap();
    assert_eq!(kept, first);

    // A second upload of the same content (two processes at once) keeps
    // the first record.
    let second = S3ObjectRecord {
        version_id: "v-second".into(),
        ..first.clone()
    };
    assert_eq!(store.record_s3_object(&second).await.unwrap(), first);

    // Without object lock: no mode, no date.
    let plain = S3ObjectRecord {
        bucket: format!("{bucket}-plain"),
        lock_mode: String::new(),
        retain_until: None,
        ..first.clone()
    };
    assert_eq!(store.record_s3_object(&plain).await.unwrap(), plain);

    for sql in [
        format!("UPDATE s3_objects SET version_id = 'forged' WHERE bucket = '{bucket}'"),
        format!("DELETE FROM s3_objects WHERE bucket = '{bucket}'"),
    ] {
        let err = store.execute_unchecked(sql.clone()).await.unwrap_err();
        assert!(
            err.to_string().contains("s3_objects") || err.to_string().contains("S3"),
            "{sql}: {err}"
        );
    }
    assert_eq!(
        store.s3_object(&bucket, &sha).await.unwrap().unwrap(),
        first
    );
}
