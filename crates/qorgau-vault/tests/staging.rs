//! Staging of captures shared by several capture processes on one data
//! directory: each clears what interrupted captures left, and none may
//! clear what another, still running, is writing (a worker running two
//! captures at once lost one to the other's clearing before runs were
//! locked).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use qorgau_store::testing::TestDatabase;
use qorgau_vault::capture::{open_staging, staging_dir};
use qorgau_vault::{Vault, VaultConfig};

/// A fresh vault, with what keeps it alive.
async fn fresh_vault() -> (Vault, tempfile::TempDir, TestDatabase) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("vault");
    let db = TestDatabase::fresh(&data).await;
    let vault = Vault::open(&VaultConfig {
        data_dir: data,
        database_url: db.url.clone(),
        operator: Some("staging-test".into()),
        s3: None,
    })
    .await
    .unwrap();
    (vault, dir, db)
}

#[tokio::test]
async fn a_running_capture_keeps_its_staging_and_a_finished_one_is_cleared() {
    let (vault, _dir, _db) = fresh_vault().await;
    let root = staging_dir(&vault);

    // Left by a capture from before runs were locked, and by a run whose
    // process died (its lock file there, nobody holding it).
    std::fs::create_dir_all(root.join("capture-old")).unwrap();
    std::fs::write(root.join("capture-old").join("page.warc"), b"old").unwrap();
    std::fs::create_dir_all(root.join("run-dead")).unwrap();
    std::fs::write(root.join("run-dead.lock"), b"").unwrap();

    let first = open_staging(&vault).unwrap();
    assert!(!root.join("capture-old").exists());
    assert!(!root.join("run-dead").exists() && !root.join("run-dead.lock").exists());
    let written = first.dir.join("capture-1").join("page.warc");
    std::fs::create_dir_all(written.parent().unwrap()).unwrap();
    std::fs::write(&written, b"being captured").unwrap();

    // A second capture starts while the first still writes.
    let second = open_staging(&vault).unwrap();
    assert_ne!(first.dir, second.dir);
    assert_eq!(std::fs::read(&written).unwrap(), b"being captured");

    // The first ends: the next start clears it and keeps the second.
    let first_dir = first.dir.clone();
    drop(first);
    let third = open_staging(&vault).unwrap();
    assert!(!first_dir.exists(), "a finished run is cleared");
    assert!(second.dir.exists() && third.dir.exists());
    let names: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".clear.lock")
        .collect();
    assert_eq!(names.len(), 4, "two runs and their locks: {names:?}");
}

#[tokio::test]
async fn many_captures_starting_and_ending_at_once_never_lose_a_running_one() {
    let (vault, _dir, _db) = fresh_vault().await;
    let vault = std::sync::Arc::new(vault);
    // Each thread is a capture process: its own area, a file written,
    // still there a moment later while others start and clear.
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let vault = vault.clone();
            std::thread::spawn(move || {
                for i in 0..25 {
                    let area = open_staging(&vault).unwrap();
                    let file = area.dir.join(format!("capture-{t}-{i}.warc"));
                    std::fs::write(&file, b"page").unwrap();
                    std::thread::sleep(std::time::Duration::from_millis(1));
                    assert_eq!(std::fs::read(&file).unwrap(), b"page", "{}", file.display());
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}
