//! Captures on SQLite by default and on PostgreSQL when
//! `QORGAU_TEST_DATABASE_URL` is set: saved with their log entry in one
//! transaction, listed as versions of a URL, immutable, and a corrupt row is
//! named rather than fatal.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use qorgau_core::{Actor, CaseName, Id, Sha256Digest, Timestamp, Tool};
use qorgau_evidence::{CaptureRecord, EntryDraft, EventKind, LedgerKey, verify_chain};
use qorgau_store::testing::TestDatabase;
use qorgau_store::{CaptureFilter, LedgerFilter, Store};

fn actor() -> Actor {
    Actor {
        user: "investigator".into(),
        host: "ws-07".into(),
    }
}

fn record(case_id: Id, url: &str, at: &str, status: Option<u16>) -> CaptureRecord {
    CaptureRecord {
        id: Id::new(),
        case_id,
        acquisition_id: Id::new(),
        kind: "page".into(),
        engine: "http".into(),
        url: url.into(),
        final_url: url.replace("kyzdar.test", "kyzdar2.test"),
        started_at: Timestamp::parse(at).unwrap(),
        finished_at: Timestamp::parse(at).unwrap(),
        http_status: status,
        partial: None,
        manifest_sha256: Sha256Digest::from_bytes([7; 32]),
        time_stamp: None,
        time_stamp_authority: None,
        captured_by: actor(),
        tool: Tool::qorgau(),
        summary: "{\"title\":\"Работа\"}".into(),
    }
}

fn entry(c: &CaptureRecord) -> EntryDraft {
    let mut d = EntryDraft::now(EventKind::InvestigativeStep, actor(), Tool::qorgau());
    d.case_id = Some(c.case_id);
    d.subject_digest = Some(c.record_digest());
    d.details =
        serde_json::json!({"action": "capture", "capture_id": c.id.to_string()}).to_string();
    d
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn captures_are_versions_of_a_url_and_never_change() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(dir.path()).await;
    let store = Store::open(&db.location).await.unwrap();
    let key = LedgerKey::from_seed([9; 32]);
    let (case, _) = store
        .open_case(
            &CaseName::parse("KUSP-2026-1204").unwrap(),
            &actor(),
            &Tool::qorgau(),
            &key,
        )
        .await
        .unwrap();
    let url = "http://kyzdar.test/ad/17";
    let first = record(case.id, url, "2026-11-20T08:00:00Z", Some(200));
    let second = record(case.id, url, "2026-11-21T08:00:00Z", Some(404));
    let other = record(case.id, "http://other.test/", "2026-11-20T09:00:00Z", None);
    // Saved out of order: listing is by time.
    for c in [&second, &other, &first] {
        let sealed = store.save_capture(c, entry(c), &key).await.unwrap();
        assert_eq!(sealed.subject_digest, Some(c.record_digest()));
    }
    let versions = store
        .captures(&CaptureFilter {
            url: Some(url.into()),
            ..CaptureFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(versions, vec![first.clone(), second.clone()]);
    // The final URL finds them too.
    let by_final = store
        .captures(&CaptureFilter {
            url: Some("http://kyzdar2.test/ad/17".into()),
            ..CaptureFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(by_final.len(), 2);
    assert_eq!(store.capture(other.id).await.unwrap(), Some(other.clone()));
    assert_eq!(store.capture(Id::new()).await.unwrap(), None);
    let all = store
        .captures(&CaptureFilter {
            case_id: Some(case.id),
            ..CaptureFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(all.len(), 3);

    // Each capture is in the case's OSINT log, in a valid chain.
    let entries = store
        .ledger(&LedgerFilter {
            case_id: Some(case.id),
            ..LedgerFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(
        entries
            .iter()
            .filter(|e| e.kind == EventKind::InvestigativeStep)
            .count(),
        3
    );
    assert_eq!(verify_chain(&entries, &[key.public()]), vec![]);

    // Immutable.
    let tamper = store
        .execute_unchecked("UPDATE captures SET http_status = 200".into())
        .await;
    assert!(tamper.is_err(), "captures must be immutable");
    let tamper = store.execute_unchecked("DELETE FROM captures".into()).await;
    assert!(tamper.is_err(), "captures must be immutable");

    // A row altered behind the triggers' back is named, not fatal.
    store.drop_guards_unchecked().await.unwrap();
    store
        .execute_unchecked(format!(
            "UPDATE captures SET started_at = 'yesterday' WHERE id = '{}'",
            other.id
        ))
        .await
        .unwrap();
    let checked = store.captures_checked(None).await.unwrap();
    assert_eq!(checked.len(), 3);
    let bad: Vec<_> = checked.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].key, other.id.to_string());
    assert_eq!(bad[0].column, "started_at");
}
