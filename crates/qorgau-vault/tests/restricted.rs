//! Suspected child sexual abuse material in the vault: marks by a person
//! and by the authority's hash lists (exact and perceptual), later
//! acquisitions matched as they are stored, the history kept append-only,
//! and exports refused without a recorded authorisation. Innocuous
//! generated pictures only. SQLite by default, PostgreSQL when
//! `QORGAU_TEST_DATABASE_URL` is set.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::io::Cursor;
use std::path::{Path, PathBuf};

use qorgau_core::CaseName;
use qorgau_evidence::{EventKind, ItemRecord};
use qorgau_store::testing::TestDatabase;
use qorgau_store::{ItemFilter, LedgerFilter, RestrictionAction};
use qorgau_vault::acquire::{AcquireObserver, AddRequest, add};
use qorgau_vault::export::{export_case, export_case_authorised};
use qorgau_vault::restricted::{import_hash_list, set_restriction};
use qorgau_vault::working_copy::working_copy;
use qorgau_vault::{Vault, VaultConfig, VaultError};

struct Quiet;
impl AcquireObserver for Quiet {}

struct Env {
    dir: tempfile::TempDir,
    _db: TestDatabase,
    vault: Vault,
}

async fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(&dir.path().join("vault")).await;
    let vault = Vault::open(&VaultConfig {
        data_dir: dir.path().join("vault"),
        database_url: db.url.clone(),
        operator: Some("Тестовый следователь".into()),
        s3: None,
    })
    .await
    .unwrap();
    Env {
        dir,
        _db: db,
        vault,
    }
}

/// A smooth synthetic picture (gradients and a disc), distinct per seed.
fn picture(seed: u32, side: u32) -> image::RgbImage {
    image::RgbImage::from_fn(side, side, |x, y| {
        let cx = (seed * 37 % side) as i64;
        let cy = (seed * 53 % side) as i64;
        let d = ((x as i64 - cx).pow(2) + (y as i64 - cy).pow(2)) as f64;
        let disc = if d.sqrt() < f64::from(side) / 4.0 {
            90
        } else {
            0
        };
        image::Rgb([
            ((x * 255 / side + seed * 40) % 256) as u8,
            ((y * 255 / side) as u8).saturating_add(disc),
            (((x + y) * 128 / side + seed * 90) % 256) as u8,
        ])
    })
}

fn encode(img: &image::RgbImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), format).unwrap();
    out
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

async fn acquire(
    env: &Env,
    case: &str,
    paths: Vec<PathBuf>,
) -> (qorgau_vault::AddSummary, Vec<ItemRecord>) {
    let name = CaseName::parse(case).unwrap();
    let summary = add(
        &env.vault,
        &AddRequest {
            paths,
            case: name,
            note: None,
        },
        &Quiet,
    )
    .await
    .unwrap();
    let items = env
        .vault
        .store
        .items(&ItemFilter {
            acquisition_id: Some(summary.acquisition_id),
            ..ItemFilter::default()
        })
        .await
        .unwrap();
    (summary, items)
}

async fn marked(env: &Env, item: &ItemRecord) -> bool {
    env.vault
        .store
        .restrictions_of(&[item.sha256])
        .await
        .unwrap()
        .contains_key(&item.sha256)
}

async fn restricted_entries(env: &Env, item: &ItemRecord) -> Vec<serde_json::Value> {
    env.vault
        .store
        .ledger(&LedgerFilter {
            case_id: Some(item.case_id),
            item_id: Some(item.id),
            ..LedgerFilter::default()
        })
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == EventKind::Restricted)
        .map(|e| serde_json::from_str(&e.details).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hash_list_marks_stored_and_later_content_exactly_and_perceptually() {
    let env = env().await;
    let files = env.dir.path().join("files");
    let exact = encode(&picture(1, 256), image::ImageFormat::Png);
    let perceptual = picture(2, 320);
    let unrelated = encode(&picture(3, 256), image::ImageFormat::Png);
    let (_, before) = acquire(
        &env,
        "Дело-1",
        vec![
            write(&files, "a.png", &exact),
            write(
                &files,
                "b.png",
                &encode(&perceptual, image::ImageFormat::Png),
            ),
            write(&files, "c.png", &unrelated),
        ],
    )
    .await;
    let by_name =
        |items: &[ItemRecord], n: &str| items.iter().find(|i| i.file_name == n).unwrap().clone();
    let (a, b, c) = (
        by_name(&before, "a.png"),
        by_name(&before, "b.png"),
        by_name(&before, "c.png"),
    );

    // The authority's list: the MD5 of one picture, the pHash of another
    // (as the authority computed it from its own copy), and noise.
    let hashes =
        qorgau_media::phash::hash_bytes(&encode(&perceptual, image::ImageFormat::Png), "list")
            .unwrap();
    let list = write(
        env.dir.path(),
        "list.txt",
        format!(
            "# synthetic list\nmd5:{}\nphash:{}\nsha256:{}\n",
            a.md5,
            hashes.phash_hex(),
            "ab".repeat(32)
        )
        .as_bytes(),
    );
    let imported = import_hash_list(&env.vault, &list, "Список-1", "Синтетический орган", 6)
        .await
        .unwrap();
    assert_eq!(imported.list.entries, 3);
    assert_eq!(imported.matches.len(), 2, "{:?}", imported.matches);
    assert!(marked(&env, &a).await && marked(&env, &b).await);
    assert!(!marked(&env, &c).await, "an unrelated picture was marked");
    let on_a = restricted_entries(&env, &a).await;
    assert_eq!(on_a.len(), 1);
    assert_eq!(on_a[0]["basis"], "hash_list");
    assert_eq!(on_a[0]["matched_on"], "md5");

    // Importing the same list again marks nothing new.
    let again = import_hash_list(
        &env.vault,
        &list,
        "Список-1 (повтор)",
        "Синтетический орган",
        6,
    )
    .await
    .unwrap();
    assert!(again.matches.iter().all(|m| !m.newly_marked));
    assert_eq!(restricted_entries(&env, &a).await.len(), 1);

    // Later: the listed picture again, re-encoded as JPEG and resized, in
    // another case; it is marked as it is stored.
    let smaller =
        image::imageops::resize(&perceptual, 200, 200, image::imageops::FilterType::Triangle);
    let later_files = env.dir.path().join("later");
    let (summary, later) = acquire(
        &env,
        "Дело-2",
        vec![
            write(
                &later_files,
                "copy.jpg",
                &encode(&smaller, image::ImageFormat::Jpeg),
            ),
            write(&later_files, "same.png", &exact),
            write(
                &later_files,
                "other.png",
                &encode(&picture(9, 256), image::ImageFormat::Png),
            ),
        ],
    )
    .await;
    assert_eq!(summary.restricted, 2);
    assert!(marked(&env, &by_name(&later, "copy.jpg")).await);
    assert!(marked(&env, &by_name(&later, "same.png")).await);
    assert!(!marked(&env, &by_name(&later, "other.png")).await);
    let copy_entries = restricted_entries(&env, &by_name(&later, "copy.jpg")).await;
    assert!(
        copy_entries[0]["matched_on"]
            .as_str()
            .unwrap()
            .ends_with(":phash")
    );
    assert!(copy_entries[0]["distance"].as_u64().unwrap() <= 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_marks_and_a_mark_is_cleared_with_the_history_kept() {
    let env = env().await;
    let files = env.dir.path().join("files");
    let bytes = encode(&picture(4, 200), image::ImageFormat::Png);
    let (_, one) = acquire(&env, "Дело-А", vec![write(&files, "p.png", &bytes)]).await;
    let (_, two) = acquire(
        &env,
        "Дело-Б",
        vec![write(&env.dir.path().join("f2"), "same.png", &bytes)],
    )
    .await;
    let item = &one[0];
    let err = set_restriction(
        &env.vault,
        item.sha256,
        RestrictionAction::Mark,
        "  ",
        &env.vault.actor,
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("reason"), "{err}");
    assert!(!marked(&env, item).await);

    let out = set_restriction(
        &env.vault,
        item.sha256,
        RestrictionAction::Mark,
        "увидел при осмотре",
        &env.vault.actor,
    )
    .await
    .unwrap();
    assert!(out.record.is_some());
    assert_eq!(
        out.items.len(),
        2,
        "the mark covers the same content in the other case"
    );
    assert!(marked(&env, &two[0]).await);
    assert_eq!(
        restricted_entries(&env, &two[0]).await[0]["basis"],
        "person"
    );
    // Marking again changes nothing and writes nothing.
    let again = set_restriction(
        &env.vault,
        item.sha256,
        RestrictionAction::Mark,
        "ещё раз",
        &env.vault.actor,
    )
    .await
    .unwrap();
    assert!(again.record.is_none());
    assert_eq!(restricted_entries(&env, item).await.len(), 1);

    set_restriction(
        &env.vault,
        item.sha256,
        RestrictionAction::Clear,
        "ошибка: это пейзаж",
        &env.vault.actor,
    )
    .await
    .unwrap();
    assert!(!marked(&env, item).await);
    let history = env
        .vault
        .store
        .restriction_history(&item.sha256)
        .await
        .unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].action, RestrictionAction::Clear);

    // The history cannot be rewritten in the database.
    for sql in [
        "UPDATE restricted_marks SET action = 'mark'",
        "DELETE FROM restricted_marks",
    ] {
        let err = env
            .vault
            .store
            .execute_unchecked(sql.into())
            .await
            .unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(
        env.vault
            .store
            .restriction_history(&item.sha256)
            .await
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marked_content_leaves_the_vault_only_with_a_recorded_authorisation() {
    let env = env().await;
    let files = env.dir.path().join("files");
    let (_, items) = acquire(
        &env,
        "Дело-Э",
        vec![
            write(
                &files,
                "m.png",
                &encode(&picture(5, 200), image::ImageFormat::Png),
            ),
            write(&files, "note.txt", "заметка (синтетика)".as_bytes()),
        ],
    )
    .await;
    let photo = items.iter().find(|i| i.file_name == "m.png").unwrap();
    set_restriction(
        &env.vault,
        photo.sha256,
        RestrictionAction::Mark,
        "осмотр",
        &env.vault.actor,
    )
    .await
    .unwrap();
    let case = CaseName::parse("Дело-Э").unwrap();

    let bag = env.dir.path().join("bag");
    let err = export_case(&env.vault, &case, &bag, &|_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, VaultError::Input(_)));
    let text = err.to_string();
    assert!(
        text.contains("--restricted-authorisation") && text.contains(&photo.id.to_string()),
        "{text}"
    );
    assert!(!bag.exists(), "a refused export wrote something");

    let copy = env.dir.path().join("copy.png");
    assert!(
        working_copy(&env.vault, photo.id, &copy, Some("экспертиза"), None)
            .await
            .is_err()
    );
    assert!(!copy.exists());

    let reference = "Постановление №12 от 01.12.2026, прокурор (синтетика)";
    let summary = export_case_authorised(&env.vault, &case, &bag, Some(reference), &|_| {})
        .await
        .unwrap();
    assert_eq!(summary.items, 2);
    let entries = restricted_entries(&env, photo).await;
    let authorised = entries
        .iter()
        .find(|e| e["action"] == "export_authorised")
        .unwrap();
    assert_eq!(authorised["authorisation"], reference);
    let exported = env
        .vault
        .store
        .ledger(&LedgerFilter {
            case_id: Some(photo.case_id),
            ..LedgerFilter::default()
        })
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.kind == EventKind::Exported)
        .unwrap();
    let details: serde_json::Value = serde_json::from_str(&exported.details).unwrap();
    assert_eq!(details["restricted_authorisation"], reference);
    assert_eq!(details["restricted_items"][0], photo.id.to_string());

    working_copy(
        &env.vault,
        photo.id,
        &copy,
        Some("экспертиза"),
        Some(reference),
    )
    .await
    .unwrap();
    assert!(copy.exists());
}

#[tokio::test]
async fn a_bad_list_is_refused_with_its_line_and_nothing_is_kept() {
    let env = env().await;
    let list = write(
        env.dir.path(),
        "bad.txt",
        b"md5:9e107d9d372bb6826bd81d3542a419d6\nsha1:da39a3ee5e6b4b0d3255bfef95601890afd80709\n",
    );
    let err = import_hash_list(&env.vault, &list, "Плохой", "Орган", 6)
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("bad.txt") && text.contains("line 2") && text.contains("SHA-1"),
        "{text}"
    );
    assert!(env.vault.store.hash_lists().await.unwrap().is_empty());
    let missing = env.dir.path().join("missing.txt");
    let err = import_hash_list(&env.vault, &missing, "Нет", "Орган", 6)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("missing.txt"), "{err}");
    let err = import_hash_list(&env.vault, &list, "Далеко", "Орган", 40)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("at most 16"), "{err}");
}
