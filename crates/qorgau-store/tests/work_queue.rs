//! The work queue, on SQLite by default and on PostgreSQL when
//! `QORGAU_TEST_DATABASE_URL` is set: claims, leases that expire and are
//! fenced, retries with back-off, the dead letter, singletons, effects
//! committed with the job's end, named leases, and many claimers at once.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::collections::HashSet;
use std::time::Duration;

use qorgau_core::{Actor, Tool};
use qorgau_evidence::{EntryDraft, EventKind, LedgerKey};
use qorgau_store::testing::TestDatabase;
use qorgau_store::{LedgerFilter, NewJob, Store, StoreError, WorkFilter, WorkState};
use serde_json::json;

async fn store(dir: &std::path::Path) -> (TestDatabase, Store) {
    let db = TestDatabase::fresh(dir).await;
    let store = Store::open(&db.location).await.unwrap();
    (db, store)
}

fn job(kind: &str, n: u64) -> NewJob {
    NewJob::new(kind, json!({ "n": n }), "tester")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_is_claimed_once_finished_once_and_its_attempts_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (_db, store) = store(dir.path()).await;
    let id = store.submit_job(&job("scan", 1)).await.unwrap().unwrap();
    assert_eq!(
        store.work_job(id).await.unwrap().unwrap().state,
        WorkState::Queued
    );
    // Only the kinds a worker takes.
    assert!(
        store
            .claim_job("w-other", &["capture".into()], 60_000)
            .await
            .unwrap()
            .is_none()
    );
    let lease = store
        .claim_job("w1", &["scan".into()], 60_000)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(lease.job.id, id);
    assert_eq!(lease.attempt, 1);
    assert_eq!(lease.job.payload, json!({ "n": 1 }));
    assert!(store.claim_job("w2", &[], 60_000).await.unwrap().is_none());
    assert!(
        store
            .renew_job_lease(&lease, 60_000, Some("half way"))
            .await
            .unwrap()
    );
    assert_eq!(
        store.work_job(id).await.unwrap().unwrap().progress,
        "half way"
    );
    store
        .finish_job(&lease, &json!({ "documents": 3 }))
        .await
        .unwrap();
    let done = store.work_job(id).await.unwrap().unwrap();
    assert_eq!(done.state, WorkState::Done);
    assert_eq!(done.result, Some(json!({ "documents": 3 })));
    assert!(done.finished_at.is_some());
    // Finishing twice is refused: the token was spent.
    assert!(matches!(
        store.finish_job(&lease, &json!({})).await,
        Err(StoreError::Conflict(_))
    ));
    let attempts = store.work_attempts(id).await.unwrap();
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].worker, "w1");
    assert_eq!(attempts[0].outcome.as_deref(), Some("done"));
    assert!(store.claim_job("w2", &[], 60_000).await.unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_are_retried_after_their_back_off_then_dead_lettered_with_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let (_db, store) = store(dir.path()).await;
    let mut new = job("import", 2);
    new.max_attempts = 2;
    let id = store.submit_job(&new).await.unwrap().unwrap();
    let first = store.claim_job("w1", &[], 60_000).await.unwrap().unwrap();
    // A long back-off: the job waits.
    let left = store
        .fail_job(&first, "the exchange did not answer", Some(3_600_000))
        .await
        .unwrap();
    assert_eq!(left, WorkState::Queued);
    assert!(store.claim_job("w1", &[], 60_000).await.unwrap().is_none());
    // The administrator's view: queued, with the error.
    let waiting = store.work_job(id).await.unwrap().unwrap();
    assert_eq!(
        waiting.last_error.as_deref(),
        Some("the exchange did not answer")
    );
    store
        .execute_unchecked(format!(
            "UPDATE work_jobs SET run_after_ms = 0 WHERE id = '{id}'"
        ))
        .await
        .unwrap();
    let second = store.claim_job("w2", &[], 60_000).await.unwrap().unwrap();
    assert_eq!(second.attempt, 2);
    // The last attempt fails: dead, whatever back-off is asked for.
    let left = store
        .fail_job(&second, "row 7: amount is not a number", Some(1))
        .await
        .unwrap();
    assert_eq!(left, WorkState::Dead);
    let dead = store.work_job(id).await.unwrap().unwrap();
    assert_eq!(dead.state, WorkState::Dead);
    assert_eq!(
        dead.last_error.as_deref(),
        Some("row 7: amount is not a number")
    );
    let attempts = store.work_attempts(id).await.unwrap();
    assert_eq!(
        attempts
            .iter()
            .map(|a| a.outcome.as_deref().unwrap())
            .collect::<Vec<_>>(),
        ["failed", "failed"]
    );
    assert!(store.claim_job("w1", &[], 60_000).await.unwrap().is_none());
    // An administrator fixed the cause and tries it again.
    assert!(store.retry_dead_job(id).await.unwrap());
    assert!(!store.retry_dead_job(id).await.unwrap());
    let third = store.claim_job("w3", &[], 60_000).await.unwrap().unwrap();
    assert_eq!(third.attempt, 3);
    // An error that cannot be retried goes to the dead letter at once.
    let id2 = store.submit_job(&job("import", 3)).await.unwrap().unwrap();
    let lease = store.claim_job("w1", &[], 60_000).await.unwrap().unwrap();
    assert_eq!(lease.job.id, id2);
    assert_eq!(
        store.fail_job(&lease, "no such case", None).await.unwrap(),
        WorkState::Dead
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_lease_passes_the_job_on_and_fences_the_old_worker_out() {
    let dir = tempfile::tempdir().unwrap();
    let (_db, store) = store(dir.path()).await;
    let id = store.submit_job(&job("capture", 4)).await.unwrap().unwrap();
    let lost = store.claim_job("killed", &[], 1).await.unwrap().unwrap();
    tokio::time::sleep(Duration::from_millis(30)).await;
    let taken = store.claim_job("w2", &[], 60_000).await.unwrap().unwrap();
    assert_eq!(taken.job.id, id);
    assert_eq!(taken.attempt, 2);
    // The first worker comes back: it can neither renew nor finish nor fail.
    assert!(!store.renew_job_lease(&lost, 60_000, None).await.unwrap());
    assert!(matches!(
        store.finish_job(&lost, &json!({})).await,
        Err(StoreError::Conflict(m)) if m.contains("killed")
    ));
    assert!(matches!(
        store.fail_job(&lost, "late", Some(1)).await,
        Err(StoreError::Conflict(_))
    ));
    store
        .finish_job(&taken, &json!({ "ok": true }))
        .await
        .unwrap();
    let attempts = store.work_attempts(id).await.unwrap();
    assert_eq!(attempts[0].outcome.as_deref(), Some("lost"));
    assert_eq!(attempts[1].outcome.as_deref(), Some("done"));

    // Lost on its last attempt: the reaper dead-letters it with the reason.
    let mut once = job("capture", 5);
    once.max_attempts = 1;
    let id = store.submit_job(&once).await.unwrap().unwrap();
    let _lost = store.claim_job("killed", &[], 1).await.unwrap().unwrap();
    tokio::time::sleep(Duration::from_millis(30)).await;
    assert!(store.claim_job("w2", &[], 60_000).await.unwrap().is_none());
    assert_eq!(store.reap_lost_jobs().await.unwrap(), 1);
    let dead = store.work_job(id).await.unwrap().unwrap();
    assert_eq!(dead.state, WorkState::Dead);
    assert!(dead.last_error.unwrap().contains("stopped answering"));
    assert_eq!(
        store.work_attempts(id).await.unwrap()[0].outcome.as_deref(),
        Some("lost")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jobs_effect_commits_with_its_end_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let (_db, store) = store(dir.path()).await;
    let key = LedgerKey::from_seed([5; 32]);
    let actor = Actor {
        user: "qorgau-worker".into(),
        host: "w".into(),
    };
    let draft = || {
        let mut d = EntryDraft::now(EventKind::Note, actor.clone(), Tool::qorgau());
        d.details = json!({ "job": "effect" }).to_string();
        d
    };
    let id = store.submit_job(&job("verify", 6)).await.unwrap().unwrap();
    let lease = store.claim_job("w1", &[], 60_000).await.unwrap().unwrap();
    // Begun, the effect written, then dropped (the worker died): nothing stays.
    {
        let mut tx = store.begin_finish(&lease, &json!({})).await.unwrap();
        tx.append_ledger(vec![draft()], &key).await.unwrap();
    }
    let notes = |store: Store| async move {
        store
            .ledger(&LedgerFilter {
                kinds: vec![EventKind::Note],
                ..LedgerFilter::default()
            })
            .await
            .unwrap()
            .len()
    };
    assert_eq!(notes(store.clone()).await, 0);
    assert_eq!(
        store.work_job(id).await.unwrap().unwrap().state,
        WorkState::Running
    );
    let mut tx = store
        .begin_finish(&lease, &json!({ "noted": 1 }))
        .await
        .unwrap();
    tx.append_ledger(vec![draft()], &key).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(notes(store.clone()).await, 1);
    assert_eq!(
        store.work_job(id).await.unwrap().unwrap().state,
        WorkState::Done
    );
    // A second finish is refused before any effect is written.
    assert!(matches!(
        store.begin_finish(&lease, &json!({})).await,
        Err(StoreError::Conflict(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_singleton_is_queued_once_until_it_ends() {
    let dir = tempfile::tempdir().unwrap();
    let (_db, store) = store(dir.path()).await;
    let mut check = job("deadline-check", 0);
    check.singleton = Some("deadline-check".into());
    let first = store.submit_job(&check).await.unwrap();
    assert!(first.is_some());
    assert_eq!(store.submit_job(&check).await.unwrap(), None);
    let lease = store.claim_job("w1", &[], 60_000).await.unwrap().unwrap();
    assert_eq!(store.submit_job(&check).await.unwrap(), None);
    store.finish_job(&lease, &json!({})).await.unwrap();
    assert!(store.submit_job(&check).await.unwrap().is_some());
    let counts = store.work_counts().await.unwrap();
    let of = |state| {
        counts
            .iter()
            .find(|c| c.kind == "deadline-check" && c.state == state)
            .map_or(0, |c| c.count)
    };
    assert_eq!((of(WorkState::Done), of(WorkState::Queued)), (1, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_claimers_at_once_take_every_job_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let (_db, store) = store(dir.path()).await;
    let n = 300;
    for i in 0..n {
        let mut j = job("scan", i);
        j.priority = (i % 3) as i64;
        store.submit_job(&j).await.unwrap().unwrap();
    }
    let mut tasks = Vec::new();
    for w in 0..6 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let me = format!("w{w}");
            let mut taken = Vec::new();
            while let Some(lease) = store.claim_job(&me, &[], 60_000).await.unwrap() {
                store
                    .finish_job(&lease, &json!({ "by": me }))
                    .await
                    .unwrap();
                taken.push(lease.job.id);
            }
            taken
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    assert_eq!(all.len(), n as usize);
    assert_eq!(all.iter().collect::<HashSet<_>>().len(), n as usize);
    let done = store
        .work_jobs(&WorkFilter {
            state: Some(WorkState::Done),
            ..WorkFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(done.len(), n as usize);
    assert!(done.iter().all(|j| j.attempts == 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_named_lease_has_one_holder_until_it_expires_or_is_released() {
    let dir = tempfile::tempdir().unwrap();
    let (_db, store) = store(dir.path()).await;
    assert!(store.take_lease("schedules", "a", 60_000).await.unwrap());
    assert!(!store.take_lease("schedules", "b", 60_000).await.unwrap());
    assert!(store.take_lease("schedules", "a", 60_000).await.unwrap());
    store.release_lease("schedules", "b").await.unwrap();
    assert!(!store.take_lease("schedules", "b", 60_000).await.unwrap());
    store.release_lease("schedules", "a").await.unwrap();
    assert!(store.take_lease("schedules", "b", 1).await.unwrap());
    tokio::time::sleep(Duration::from_millis(30)).await;
    assert!(store.take_lease("schedules", "a", 60_000).await.unwrap());
    assert!(!store.take_lease("schedules", "b", 60_000).await.unwrap());
}
