//! Perceptual hashes of images in the store, on SQLite by default and on
//! PostgreSQL when `QORGAU_TEST_DATABASE_URL` is set: written with their
//! items in one transaction, once per blob and version, all 64 bits kept,
//! failures remembered, and the backfill list.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use qorgau_core::{Actor, CaseName, Id, Md5Digest, Sha256Digest, Timestamp, Tool};
use qorgau_evidence::{FileTimes, ItemRecord, LedgerKey};
use qorgau_store::testing::TestDatabase;
use qorgau_store::{
    MediaFrame, MediaHashOutcome, MediaHashRecord, Store, StoredFrameHash, StoredImageHash,
    UnhashedImage,
};

const ALGORITHM: &str = "test-v1";
const IMAGES: &[&str] = &["image/jpeg", "image/png"];

fn actor() -> Actor {
    Actor {
        user: "investigator".into(),
        host: "ws-02".into(),
    }
}

fn item(case_id: Id, content: u8, media_type: &str, path: &str) -> ItemRecord {
    let at = Timestamp::now();
    ItemRecord {
        id: Id::new(),
        case_id,
        acquisition_id: Id::new(),
        sha256: Sha256Digest::from_bytes([content; 32]),
        md5: Md5Digest::from_bytes([content; 16]),
        size: 1000,
        media_type: media_type.into(),
        source_root: "/exports".into(),
        original_path: path.into(),
        relative_path: path.trim_start_matches('/').into(),
        file_name: path.rsplit('/').next().unwrap().into(),
        file_times: FileTimes::default(),
        acquired_at: at,
        acquired_at_local: at.to_almaty_string(),
        acquired_by: actor(),
        tool: Tool::qorgau(),
        note: None,
        metadata: None,
    }
}

fn hashed(content: u8, phash: u64, dhash: u64) -> MediaHashRecord {
    MediaHashRecord {
        sha256: Sha256Digest::from_bytes([content; 32]),
        algorithm: ALGORITHM.into(),
        outcome: MediaHashOutcome::Hashed {
            phash,
            dhash,
            width: 640,
            height: 480,
        },
        computed_at: Timestamp::parse("2026-12-07T10:00:00Z").unwrap(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hashes_are_stored_with_their_items() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(dir.path()).await;
    let store = Store::open(&db.location).await.unwrap();
    let key = LedgerKey::from_seed([3; 32]);
    let mut cases = Vec::new();
    for name in ["KUSP-2026-0001", "KUSP-2026-0002"] {
        let (case, _) = store
            .open_case(
                &CaseName::parse(name).unwrap(),
                &actor(),
                &Tool::qorgau(),
                &key,
            )
            .await
            .unwrap();
        cases.push(case);
    }
    let (a, b) = (&cases[0], &cases[1]);

    // Hashes with the top bit set are the ones a signed column could lose.
    let top = 0x8000_0000_0000_0001u64;
    let items_a = vec![
        item(a.id, 1, "image/jpeg", "/exports/ad-1.jpg"),
        item(a.id, 2, "image/png", "/exports/ad-2.png"),
        item(a.id, 9, "text/plain", "/exports/chat.txt"),
    ];
    store
        .register_items_with_hashes(
            &items_a,
            &[
                hashed(1, top, u64::MAX),
                hashed(2, 0x0123_4567_89ab_cdef, 0),
            ],
            &key,
        )
        .await
        .unwrap();
    // The same photo in case B, and a new one that has no hash yet; the
    // first blob's hash row is written again and kept as it was.
    let items_b = vec![
        item(b.id, 1, "image/jpeg", "/other/same-photo.jpg"),
        item(b.id, 3, "image/jpeg", "/other/new.jpg"),
        item(b.id, 3, "image/jpeg", "/other/new-again.jpg"),
    ];
    store
        .register_items_with_hashes(&items_b, &[hashed(1, 7, 7)], &key)
        .await
        .unwrap();

    let all = store.image_hashes(ALGORITHM, None).await.unwrap();
    assert_eq!(
        all,
        vec![
            StoredImageHash {
                sha256: Sha256Digest::from_bytes([1; 32]),
                phash: top,
                dhash: u64::MAX,
            },
            StoredImageHash {
                sha256: Sha256Digest::from_bytes([2; 32]),
                phash: 0x0123_4567_89ab_cdef,
                dhash: 0,
            },
        ]
    );
    let of_b = store.image_hashes(ALGORITHM, Some(b.id)).await.unwrap();
    assert_eq!(of_b.len(), 1);
    assert_eq!(of_b[0].sha256, Sha256Digest::from_bytes([1; 32]));
    assert!(
        store
            .image_hashes("other-version", None)
            .await
            .unwrap()
            .is_empty()
    );

    // The backfill sees blob 3 once, by its first item; not the text file.
    let todo = store.unhashed_images(ALGORITHM, IMAGES).await.unwrap();
    assert_eq!(
        todo,
        vec![UnhashedImage {
            sha256: Sha256Digest::from_bytes([3; 32]),
            media_type: "image/jpeg".into(),
            item_id: items_b[1].id,
            original_path: "/other/new.jpg".into(),
        }]
    );
    // Another version has everything still to do.
    assert_eq!(store.unhashed_images("v2", IMAGES).await.unwrap().len(), 3);

    // A failure is remembered: not in the index, not to be tried again.
    let failed = MediaHashRecord {
        sha256: Sha256Digest::from_bytes([3; 32]),
        algorithm: ALGORITHM.into(),
        outcome: MediaHashOutcome::Failed {
            reason: "image /other/new.jpg cannot be decoded: truncated".into(),
        },
        computed_at: Timestamp::parse("2026-12-07T11:00:00Z").unwrap(),
    };
    assert_eq!(
        store
            .add_media_hashes(std::slice::from_ref(&failed))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .add_media_hashes(std::slice::from_ref(&failed))
            .await
            .unwrap(),
        0
    );
    assert!(
        store
            .unhashed_images(ALGORITHM, IMAGES)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.image_hashes(ALGORITHM, None).await.unwrap().len(), 2);
    assert_eq!(
        store
            .media_hash(&failed.sha256, ALGORITHM)
            .await
            .unwrap()
            .unwrap(),
        failed
    );
    assert_eq!(
        store
            .media_hash(&Sha256Digest::from_bytes([1; 32]), ALGORITHM)
            .await
            .unwrap()
            .unwrap(),
        hashed(1, top, u64::MAX)
    );
    assert!(
        store
            .media_hash(&Sha256Digest::from_bytes([8; 32]), ALGORITHM)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hashes_of_a_failed_registration_are_not_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(dir.path()).await;
    let store = Store::open(&db.location).await.unwrap();
    let key = LedgerKey::from_seed([4; 32]);
    let (case, _) = store
        .open_case(
            &CaseName::parse("KUSP-2026-0003").unwrap(),
            &actor(),
            &Tool::qorgau(),
            &key,
        )
        .await
        .unwrap();
    let first = item(case.id, 5, "image/jpeg", "/exports/a.jpg");
    store
        .register_items(std::slice::from_ref(&first), &key)
        .await
        .unwrap();
    // The same item id again: the item insert fails and the transaction
    // with it, so the hash row written before it in that transaction is
    // gone too.
    let mut duplicate = item(case.id, 6, "image/jpeg", "/exports/b.jpg");
    duplicate.id = first.id;
    let err = store
        .register_items_with_hashes(&[duplicate], &[hashed(6, 1, 2)], &key)
        .await;
    assert!(err.is_err());
    assert!(
        store
            .image_hashes(ALGORITHM, None)
            .await
            .unwrap()
            .is_empty()
    );
}

/// How long `image_hashes` takes to read 10 million hash rows: what `qorgau
/// media similar` pays at start before it builds its index
/// (`bench/media-index.sh` runs it after the index benchmark; size from
/// `MEDIA_LOAD_SIZE`). SQLite unless `QORGAU_TEST_DATABASE_URL` is set.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: bench/media-index.sh"]
async fn image_hashes_load_benchmark() {
    let size: u64 = std::env::var("MEDIA_LOAD_SIZE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000_000);
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(dir.path()).await;
    let store = Store::open(&db.location).await.unwrap();
    let started = std::time::Instant::now();
    let sql = match store.backend() {
        qorgau_store::Backend::Sqlite => format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {size}) \
             INSERT INTO media_hashes (sha256, algorithm, phash, dhash, width, height, error, \
             computed_at) SELECT printf('%064x', i), 'bench', random(), random(), 640, 480, \
             NULL, '2026-12-07T00:00:00Z' FROM n"
        ),
        qorgau_store::Backend::Postgres => format!(
            "INSERT INTO media_hashes (sha256, algorithm, phash, dhash, width, height, error, \
             computed_at) SELECT lpad(to_hex(i), 64, '0'), 'bench', \
             (random() * 9.2e18)::bigint, (random() * 9.2e18)::bigint, 640, 480, NULL, \
             '2026-12-07T00:00:00Z' FROM generate_series(1, {size}) AS i"
        ),
    };
    store.execute_unchecked(sql).await.unwrap();
    println!(
        "{size} hash rows written in {:.1} s ({})",
        started.elapsed().as_secs_f64(),
        store.backend().name()
    );
    let mut times = Vec::new();
    for _ in 0..3 {
        let started = std::time::Instant::now();
        let rows = store.image_hashes("bench", None).await.unwrap();
        times.push(started.elapsed().as_secs_f64());
        assert_eq!(rows.len() as u64, size);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "image_hashes of {size} rows: median {:.2} s of 3 ({:.2}, {:.2}, {:.2})",
        times[1], times[0], times[1], times[2]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_video_s_key_frames_are_stored_with_it_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(dir.path()).await;
    let store = Store::open(&db.location).await.unwrap();
    let key = LedgerKey::from_seed([4; 32]);
    let (case, _) = store
        .open_case(
            &CaseName::parse("KUSP-2026-0003").unwrap(),
            &actor(),
            &Tool::qorgau(),
            &key,
        )
        .await
        .unwrap();
    let frames = vec![
        MediaFrame {
            time_ms: 0,
            phash: 0x8000_0000_0000_0001,
            dhash: 5,
        },
        MediaFrame {
            time_ms: 3_040,
            phash: 7,
            dhash: u64::MAX,
        },
    ];
    let video = MediaHashRecord {
        sha256: Sha256Digest::from_bytes([7; 32]),
        algorithm: ALGORITHM.into(),
        outcome: MediaHashOutcome::KeyFrames {
            frames: frames.clone(),
            width: 1280,
            height: 720,
        },
        computed_at: Timestamp::parse("2026-12-08T10:00:00Z").unwrap(),
    };
    store
        .register_items_with_hashes(
            &[
                item(case.id, 7, "video/mp4", "/exports/clip.mp4"),
                item(case.id, 1, "image/jpeg", "/exports/photo.jpg"),
            ],
            &[video.clone(), hashed(1, 9, 9)],
            &key,
        )
        .await
        .unwrap();
    // Written again (a second item with the same bytes): kept once.
    store
        .add_media_hashes(std::slice::from_ref(&video))
        .await
        .unwrap();

    let read = store
        .media_hash(&video.sha256, ALGORITHM)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read, video, "frames, size and time read back bit for bit");
    let stored = store.frame_hashes(ALGORITHM, None).await.unwrap();
    assert_eq!(
        stored,
        frames
            .iter()
            .map(|f| StoredFrameHash {
                sha256: video.sha256,
                time_ms: f.time_ms,
                phash: f.phash,
                dhash: f.dhash,
            })
            .collect::<Vec<_>>()
    );
    assert_eq!(
        store
            .frame_hashes(ALGORITHM, Some(case.id))
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(
        store
            .frame_hashes(ALGORITHM, Some(Id::new()))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .frame_hashes("other-version", None)
            .await
            .unwrap()
            .is_empty()
    );
    // A video is not an image: the image list and its count leave it out.
    assert_eq!(store.image_hashes(ALGORITHM, None).await.unwrap().len(), 1);
    assert_eq!(store.image_hash_count(ALGORITHM).await.unwrap(), 1);
    // Nor is it left for the backfill.
    let todo = store
        .unhashed_images(ALGORITHM, &["video/mp4"])
        .await
        .unwrap();
    assert!(todo.is_empty(), "{todo:?}");
}
