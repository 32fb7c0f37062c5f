//! Monitoring jobs and the archive of documents, on SQLite by default and on
//! PostgreSQL when `QORGAU_TEST_DATABASE_URL` is set: a job's runs find new,
//! changed, deleted and restored documents; every version stays archived;
//! each run is in the OSINT log of its case.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use qorgau_core::{Actor, CaseName, Id, Sha256Digest, Timestamp, Tool};
use qorgau_evidence::{EntryDraft, EventKind, LedgerKey, verify_chain};
use qorgau_monitor::{Change, Coverage, Filters, JobSpec, Observed, SourceKind, reconcile};
use qorgau_store::testing::TestDatabase;
use qorgau_store::{
    DocumentChange, DocumentFilter, DocumentWrite, JobRecord, LedgerFilter, RunRecord, Store,
    StoreError,
};

fn actor() -> Actor {
    Actor {
        user: "analyst".into(),
        host: "ws-02".into(),
    }
}

fn digest(text: &str) -> Sha256Digest {
    use sha2::Digest;
    Sha256Digest::from_bytes(sha2::Sha256::digest(text.as_bytes()).into())
}

fn write(change: DocumentChange, key: &str, body: &str) -> DocumentWrite {
    DocumentWrite {
        change,
        key: key.into(),
        url: Some(format!("https://t.me/{key}")),
        source: Some("telegram:@rabota_test".into()),
        author: None,
        title: None,
        published_at: Some("2026-11-20T10:00:00+05:00".into()),
        body: body.into(),
        content: digest(body),
        lang: Some("ru".into()),
        risk: Some(0.8),
        flagged: true,
        assessment: Some(assessment(body)),
    }
}

/// What the scan would say of `body`: a risk, and the 16-digit card
/// numbers in it as identifiers.
fn assessment(body: &str) -> String {
    let cards: Vec<serde_json::Value> = body
        .split_whitespace()
        .filter(|w| w.len() == 16 && w.bytes().all(|b| b.is_ascii_digit()))
        .map(|w| serde_json::json!({"kind": "card", "value": w, "span": [0, 16]}))
        .collect();
    serde_json::json!({"risk": 0.8, "identifiers": cards}).to_string()
}

async fn run(
    store: &Store,
    job: &JobRecord,
    key: &LedgerKey,
    observed: &[(&str, Option<&str>)],
    coverage: &Coverage,
) -> Vec<Change> {
    let known = store.known_documents(job.id).await.unwrap();
    let obs: Vec<Observed> = observed
        .iter()
        .map(|(k, body)| match body {
            Some(b) => Observed::Present {
                key: (*k).into(),
                content: digest(b),
            },
            None => Observed::Gone { key: (*k).into() },
        })
        .collect();
    let changes = reconcile(&known, &obs, coverage);
    let body_of = |k: &str| {
        observed
            .iter()
            .find(|(key, _)| *key == k)
            .and_then(|(_, b)| *b)
            .unwrap_or("")
    };
    let writes: Vec<DocumentWrite> = changes
        .iter()
        .map(|c| match c {
            Change::New(k) => write(DocumentChange::New, k, body_of(k)),
            Change::Changed(k) => write(DocumentChange::Changed, k, body_of(k)),
            Change::Unchanged(k) => write(DocumentChange::Unchanged, k, body_of(k)),
            Change::Restored(k) => write(DocumentChange::Restored, k, body_of(k)),
            Change::Deleted(k) => write(DocumentChange::Deleted, k, ""),
        })
        .collect();
    let now = Timestamp::now();
    let record = RunRecord {
        id: Id::new(),
        job_id: job.id,
        started_at: now,
        finished_at: now,
        operator: "analyst".into(),
        host: "ws-02".into(),
        status: "ok".into(),
        counts: serde_json::json!({"observed": observed.len()}),
        requests: serde_json::json!([{"url": "http://127.0.0.1/s/rabota_test", "status": 200}]),
        errors: serde_json::json!([]),
    };
    let mut draft = EntryDraft::now(EventKind::InvestigativeStep, actor(), Tool::qorgau());
    draft.case_id = job.case_id;
    draft.details =
        serde_json::json!({"action": "monitoring run", "job": job.spec.name}).to_string();
    let entry = store.save_run(&record, &writes, draft, key).await.unwrap();
    assert_eq!(entry.kind, EventKind::InvestigativeStep);
    // Distinct writes so that two runs in the same microsecond stay ordered.
    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    changes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_archive_new_changed_deleted_and_restored_documents() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(dir.path()).await;
    let store = Store::open(&db.location).await.unwrap();
    let key = LedgerKey::from_seed([3; 32]);
    let (case, _) = store
        .open_case(
            &CaseName::parse("KUSP-2026-0999").unwrap(),
            &actor(),
            &Tool::qorgau(),
            &key,
        )
        .await
        .unwrap();
    let spec = JobSpec {
        name: "rabota-test".into(),
        kind: SourceKind::Telegram,
        targets: vec!["rabota_test".into()],
        keywords: vec!["работа".into()],
        filters: Filters {
            langs: vec!["ru".into()],
            ..Filters::default()
        },
        interval_secs: 3600,
    }
    .validated()
    .unwrap();
    let job = JobRecord {
        id: Id::new(),
        spec,
        case_id: Some(case.id),
        created_at: Timestamp::now(),
        created_by: "analyst".into(),
        enabled: true,
        last_run_at: None,
    };
    store.create_job(&job).await.unwrap();
    let again = store
        .create_job(&JobRecord {
            id: Id::new(),
            ..job.clone()
        })
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(m)) if m.contains("rabota-test")));
    assert_eq!(
        store.job("rabota-test").await.unwrap().unwrap().spec,
        job.spec
    );

    let window = |low, high| Coverage::NumberRange {
        prefix: "rabota_test/".into(),
        low,
        high,
    };
    run(
        &store,
        &job,
        &key,
        &[
            ("rabota_test/1", Some("работа v1")),
            ("rabota_test/2", Some("работа в Дубае")),
        ],
        &window(1, 2),
    )
    .await;
    // Post 1 edited, post 2 deleted.
    let changes = run(
        &store,
        &job,
        &key,
        &[("rabota_test/1", Some("работа v2"))],
        &window(1, 1),
    )
    .await;
    assert_eq!(changes, vec![Change::Changed("rabota_test/1".into())]);
    let changes = run(
        &store,
        &job,
        &key,
        &[
            ("rabota_test/1", Some("работа v2")),
            ("rabota_test/3", Some("x работа")),
        ],
        &window(1, 3),
    )
    .await;
    assert_eq!(
        changes,
        vec![
            Change::Unchanged("rabota_test/1".into()),
            Change::New("rabota_test/3".into()),
            Change::Deleted("rabota_test/2".into()),
        ]
    );
    let deleted = store
        .documents(&DocumentFilter {
            job_id: Some(job.id),
            deleted_only: true,
            ..DocumentFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(deleted.len(), 1);
    let gone = &deleted[0];
    assert_eq!(gone.key, "rabota_test/2");
    assert_eq!(gone.body, "работа в Дубае", "a deleted ad keeps its text");
    assert!(
        gone.deleted_at.unwrap() > gone.last_seen,
        "last seen stays before the deletion"
    );

    // Post 2 comes back with new text: restored, both versions archived.
    let changes = run(
        &store,
        &job,
        &key,
        &[("rabota_test/2", Some("работа в Дубае!!"))],
        &window(2, 2),
    )
    .await;
    assert_eq!(changes, vec![Change::Restored("rabota_test/2".into())]);
    let all = store
        .documents(&DocumentFilter {
            job_id: Some(job.id),
            ..DocumentFilter::default()
        })
        .await
        .unwrap();
    let by_key = |k: &str| all.iter().find(|d| d.key == k).unwrap();
    assert_eq!(by_key("rabota_test/1").versions, 2);
    assert_eq!(by_key("rabota_test/2").versions, 2);
    assert!(by_key("rabota_test/2").deleted_at.is_none());
    assert_eq!(by_key("rabota_test/3").versions, 1);
    assert!(
        store
            .job("rabota-test")
            .await
            .unwrap()
            .unwrap()
            .last_run_at
            .is_some()
    );

    // Every run is in the case's OSINT log, and the chain verifies.
    let entries = store
        .ledger(&LedgerFilter {
            case_id: Some(case.id),
            ..LedgerFilter::default()
        })
        .await
        .unwrap();
    let steps = entries
        .iter()
        .filter(|e| e.kind == EventKind::InvestigativeStep)
        .count();
    assert_eq!(steps, 4);
    assert_eq!(verify_chain(&entries, &[key.public()]), vec![]);

    // Archived versions cannot be rewritten.
    let tamper = store
        .execute_unchecked("UPDATE document_versions SET body = 'x'".into())
        .await;
    assert!(tamper.is_err(), "document versions must be append-only");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_link_the_cards_they_carry_to_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(dir.path()).await;
    let store = Store::open(&db.location).await.unwrap();
    let key = LedgerKey::from_seed([4; 32]);
    let spec = JobSpec {
        name: "cards".into(),
        kind: SourceKind::Telegram,
        targets: vec!["rabota_test".into()],
        keywords: vec![],
        filters: Filters::default(),
        interval_secs: 3600,
    }
    .validated()
    .unwrap();
    let job = JobRecord {
        id: Id::new(),
        spec,
        case_id: None,
        created_at: Timestamp::now(),
        created_by: "analyst".into(),
        enabled: true,
        last_run_at: None,
    };
    store.create_job(&job).await.unwrap();
    let window = Coverage::NumberRange {
        prefix: "rabota_test/".into(),
        low: 1,
        high: 2,
    };
    run(
        &store,
        &job,
        &key,
        &[
            (
                "rabota_test/1",
                Some("взнос за оформление на карту 4400430123456789"),
            ),
            // Not Luhn-valid: a number, not a card.
            ("rabota_test/2", Some("звоните 4400430123456782")),
        ],
        &window,
    )
    .await;
    let links = store.account_links("card:4400430123456789").await.unwrap();
    assert_eq!(links.len(), 1, "{links:?}");
    assert_eq!(links[0].kind, "document");
    assert_eq!(links[0].note.as_deref(), Some("https://t.me/rabota_test/1"));
    assert!(
        store
            .account_links("card:4400430123456782")
            .await
            .unwrap()
            .is_empty()
    );
    // The same document edited: still one link; relinking adds nothing.
    run(
        &store,
        &job,
        &key,
        &[
            ("rabota_test/1", Some("взнос 4400430123456789 срочно")),
            ("rabota_test/2", Some("звоните 4400430123456782")),
        ],
        &window,
    )
    .await;
    assert_eq!(
        store
            .account_links("card:4400430123456789")
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(store.relink_document_accounts().await.unwrap(), 0);
}
