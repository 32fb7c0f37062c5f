//! One story through the store, on SQLite by default and on PostgreSQL when
//! `QORGAU_TEST_DATABASE_URL` is set: open a case, register items with their
//! custody entries, append from many tasks at once, read everything back and
//! verify the chains.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use qorgau_core::{Actor, CaseName, Id, Md5Digest, Sha256Digest, Timestamp, Tool};
use qorgau_evidence::{EntryDraft, EventKind, FileTimes, ItemRecord, LedgerKey, verify_chain};
use qorgau_store::testing::TestDatabase;
use qorgau_store::{ItemFilter, LedgerFilter, Store};

fn actor() -> Actor {
    Actor {
        user: "investigator".into(),
        host: "ws-01".into(),
    }
}

fn item(case_id: Id, n: u8) -> ItemRecord {
    let at = Timestamp::now();
    ItemRecord {
        id: Id::new(),
        case_id,
        acquisition_id: Id::new(),
        sha256: Sha256Digest::from_bytes([n; 32]),
        md5: Md5Digest::from_bytes([n; 16]),
        size: u64::from(n) * 1000,
        media_type: "application/json".into(),
        source_root: "/exports/chat".into(),
        original_path: format!("/exports/chat/{n}/result.json"),
        relative_path: format!("{n}/result.json"),
        file_name: "result.json".into(),
        file_times: FileTimes {
            modified: Some(at),
            ..FileTimes::default()
        },
        acquired_at: at,
        acquired_at_local: at.to_almaty_string(),
        acquired_by: actor(),
        tool: Tool::qorgau(),
        note: Some("«Нaбuрaю» ad, Telegram".into()),
        metadata: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_story() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(dir.path()).await;
    let store = Store::open(&db.location).await.unwrap();
    // Opening twice runs migrations idempotently.
    let store2 = Store::open(&db.location).await.unwrap();
    let key = LedgerKey::from_seed([9; 32]);
    let name = CaseName::parse("KUSP-2026-0412").unwrap();

    let (case, created) = store
        .open_case(&name, &actor(), &Tool::qorgau(), &key)
        .await
        .unwrap();
    assert!(created);
    let (again, created) = store2
        .open_case(&name, &actor(), &Tool::qorgau(), &key)
        .await
        .unwrap();
    assert!(!created);
    assert_eq!(again, case);

    let items: Vec<ItemRecord> = (1..=5).map(|n| item(case.id, n)).collect();
    let sealed = store.register_items(&items, &key).await.unwrap();
    assert_eq!(sealed.len(), 5);
    assert_eq!(sealed[0].seq, 2, "case_opened is entry 1");

    // Round trip: every field comes back as written.
    let listed = store
        .items(&ItemFilter {
            case_id: Some(case.id),
            ..ItemFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.len(), 5);
    for original in &items {
        let back = store.item(original.id).await.unwrap().unwrap();
        assert_eq!(&back, original);
        assert_eq!(back.record_digest(), original.record_digest());
    }

    assert_eq!(store.count_items(Some(case.id)).await.unwrap(), 5);
    assert_eq!(store.total_size(Some(case.id)).await.unwrap(), 15_000);
    assert_eq!(store.total_size(Some(Id::new())).await.unwrap(), 0);

    // Concurrent appends from two stores (two pools, as two processes would).
    let mut tasks = Vec::new();
    for i in 0..40 {
        let s = if i % 2 == 0 {
            store.clone()
        } else {
            store2.clone()
        };
        let key = LedgerKey::from_seed([9; 32]);
        let case_id = case.id;
        tasks.push(tokio::spawn(async move {
            let mut draft = EntryDraft::now(EventKind::Note, actor(), Tool::qorgau());
            draft.case_id = Some(case_id);
            draft.details = format!("{{\"note\":{i}}}");
            s.append(vec![draft], &key).await.unwrap()
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let entries = store
        .ledger(&LedgerFilter {
            case_id: Some(case.id),
            ..LedgerFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(entries.len(), 1 + 5 + 40);
    let mut by_seq = entries.clone();
    by_seq.sort_by_key(|e| e.seq);
    assert_eq!(verify_chain(&by_seq, &[key.public()]), vec![]);
    let seqs: Vec<u64> = by_seq.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=46).collect::<Vec<_>>());

    // Filters.
    let acquired = store
        .ledger(&LedgerFilter {
            kinds: vec![EventKind::Acquired],
            ..LedgerFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(acquired.len(), 5);
    assert!(acquired.iter().all(|e| e.item_id.is_some()));

    // The ledger refuses updates and deletes.
    let refused = store
        .execute_unchecked("UPDATE ledger SET details = '{}' WHERE seq = 1".into())
        .await;
    assert!(refused.is_err(), "ledger must be append-only");
    let refused = store.execute_unchecked("DELETE FROM items".into()).await;
    assert!(refused.is_err(), "items must be immutable");
    assert_eq!(store.count_items(Some(case.id)).await.unwrap(), 5);

    store.close().await;
    store2.close().await;
}

/// Servers and workers start together: opening one fresh database from
/// several pools at once must neither fail nor apply anything twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_first_opens_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(dir.path()).await;
    let opens: Vec<_> = (0..6)
        .map(|_| {
            let location = db.location.clone();
            tokio::spawn(async move { Store::open(&location).await })
        })
        .collect();
    for open in opens {
        let store = open.await.unwrap().expect("concurrent first open");
        assert!(store.cases().await.unwrap().is_empty());
        store.close().await;
    }
}
