//! Signal intake in batches (the server's group commit) on SQLite by
//! default and on PostgreSQL when `QORGAU_TEST_DATABASE_URL` is set: one
//! transaction for many reports, duplicates inside a batch folded into one
//! signal, and the same results as taking them one by one.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use qorgau_core::Timestamp;
use qorgau_response::{Identifier, IdentifierKind, SignalDraft, SignalSource};
use qorgau_store::testing::TestDatabase;
use qorgau_store::{Report, Store};

fn report(resource: &str, phone: &str) -> Report {
    let draft = SignalDraft {
        source: SignalSource::Partner,
        resource: Some(resource.into()),
        identifiers: vec![Identifier {
            kind: IdentifierKind::Phone,
            value: phone.into(),
        }],
        summary: "ad".into(),
        scenario: None,
        risk: Some(0.5),
    };
    let keys = draft.keys().unwrap();
    Report {
        draft,
        keys,
        reporter: "connector".into(),
        agency_id: None,
        now: Timestamp::now(),
    }
}

#[tokio::test]
async fn a_batch_is_one_transaction_with_duplicates_folded() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(dir.path()).await;
    let store = Store::open(&db.location).await.unwrap();
    let batch = vec![
        report("https://a.example/1", "+77000000001"),
        report("https://a.example/2", "+77000000002"),
        report("https://a.example/1?utm_source=x", "+77000000001"),
    ];
    let taken = store.take_signals(&batch).await.unwrap();
    assert_eq!(taken.len(), 3);
    assert!(taken[0].new && taken[1].new && !taken[2].new);
    assert_eq!(taken[2].signal_id, taken[0].signal_id);
    assert_eq!(taken[2].reports, 2);
    assert_eq!(store.signal_report_count().await.unwrap(), 3);
    // A later report through the single path joins the same signal, and
    // relatedness sees the batch's keys.
    let one = report("https://a.example/3", "+77000000002");
    let intake = store
        .take_signal(&one.draft, &one.keys, "connector", None, one.now)
        .await
        .unwrap();
    assert!(intake.new);
    assert_eq!(intake.related_signals, vec![taken[1].signal_id]);
    let second = store.intake_of_taken(taken[1]).await.unwrap();
    assert_eq!(second.related_signals, vec![intake.signal_id]);
    // An empty batch stores nothing and fails nothing.
    assert!(store.take_signals(&[]).await.unwrap().is_empty());
    assert_eq!(store.signal_report_count().await.unwrap(), 4);
}
