//! The runner and the schedules against a real store (SQLite, or
//! PostgreSQL when `QORGAU_TEST_DATABASE_URL` is set): jobs done once,
//! retries with back-off, panics and permanent errors dead-lettered with
//! their words, a lost lease stops the job, and one leader at a time.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use qorgau_store::testing::TestDatabase;
use qorgau_store::{NewJob, Store, WorkFilter, WorkState};
use qorgau_work::handler::HandlerFuture;
use qorgau_work::schedule::DueFuture;
use qorgau_work::{
    Backoff, Finish, Handler, JobError, Runner, RunnerConfig, Running, Schedule, run_schedules,
};
use serde_json::json;
use tokio::sync::watch;

struct Double;
impl Handler for Double {
    fn kind(&self) -> &'static str {
        "double"
    }
    fn run<'a>(&'a self, job: &'a Running) -> HandlerFuture<'a> {
        Box::pin(async move {
            let n = job.lease.job.payload["n"].as_i64().unwrap();
            Ok(Finish::Result(json!({ "twice": n * 2 })))
        })
    }
}

/// Fails its first attempt, succeeds on the second.
struct Flaky(AtomicUsize);
impl Handler for Flaky {
    fn kind(&self) -> &'static str {
        "flaky"
    }
    fn run<'a>(&'a self, job: &'a Running) -> HandlerFuture<'a> {
        Box::pin(async move {
            self.0.fetch_add(1, Ordering::SeqCst);
            if job.lease.attempt == 1 {
                Err(JobError::Retry("the exchange did not answer".into()))
            } else {
                Ok(Finish::Result(json!({ "attempt": job.lease.attempt })))
            }
        })
    }
}

struct Broken;
impl Handler for Broken {
    fn kind(&self) -> &'static str {
        "broken"
    }
    fn run<'a>(&'a self, job: &'a Running) -> HandlerFuture<'a> {
        Box::pin(async move {
            if job.lease.job.payload["panic"].as_bool() == Some(true) {
                panic!("a bug");
            }
            Err(JobError::Permanent("there is no case KUSP-0".into()))
        })
    }
}

struct Slow;
impl Handler for Slow {
    fn kind(&self) -> &'static str {
        "slow"
    }
    fn run<'a>(&'a self, job: &'a Running) -> HandlerFuture<'a> {
        Box::pin(async move {
            job.progress("started");
            tokio::time::sleep(Duration::from_secs(30)).await;
            Ok(Finish::Result(json!({})))
        })
    }
}

fn config(id: &str) -> RunnerConfig {
    RunnerConfig {
        worker_id: id.into(),
        concurrency: 3,
        lease: Duration::from_millis(600),
        poll: Duration::from_millis(20),
        backoff: Backoff {
            base: Duration::from_millis(10),
            max: Duration::from_millis(50),
        },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_are_done_retried_or_dead_lettered_with_their_words() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(dir.path()).await;
    let store = Store::open(&db.location).await.unwrap();
    for n in 0..40 {
        store
            .submit_job(&NewJob::new("double", json!({ "n": n }), "t"))
            .await
            .unwrap();
    }
    let flaky = store
        .submit_job(&NewJob::new("flaky", json!({}), "t"))
        .await
        .unwrap()
        .unwrap();
    let permanent = store
        .submit_job(&NewJob::new("broken", json!({}), "t"))
        .await
        .unwrap()
        .unwrap();
    let mut panicky = NewJob::new("broken", json!({ "panic": true }), "t");
    panicky.max_attempts = 2;
    let panicky = store.submit_job(&panicky).await.unwrap().unwrap();
    // A kind no handler here takes stays queued.
    let other = store
        .submit_job(&NewJob::new("capture", json!({}), "t"))
        .await
        .unwrap()
        .unwrap();

    let calls = Arc::new(Flaky(AtomicUsize::new(0)));
    let runner = Runner::new(store.clone(), config("w-test"))
        .with(Arc::new(Double))
        .with(calls.clone())
        .with(Arc::new(Broken));
    assert_eq!(runner.kinds(), ["broken", "double", "flaky"]);
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(runner.run(stopped));
    for _ in 0..500 {
        let settled = store
            .work_jobs(&WorkFilter::default())
            .await
            .unwrap()
            .iter()
            .filter(|j| matches!(j.state, WorkState::Done | WorkState::Dead))
            .count();
        if settled == 43 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // While it runs it is a live worker.
    let live = store.live_workers(60_000).await.unwrap();
    assert_eq!(live.len(), 1);
    assert_eq!(live[0].kinds, "broken,double,flaky");
    stop.send(true).unwrap();
    let stats = task.await.unwrap();
    assert_eq!((stats.done, stats.dead), (41, 2));
    assert!(store.live_workers(60_000).await.unwrap().is_empty());

    let done = store
        .work_jobs(&WorkFilter {
            kind: Some("double".into()),
            ..WorkFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(done.len(), 40);
    for j in &done {
        assert_eq!(j.state, WorkState::Done);
        let n = j.payload["n"].as_i64().unwrap();
        assert_eq!(j.result, Some(json!({ "twice": n * 2 })));
    }
    let f = store.work_job(flaky).await.unwrap().unwrap();
    assert_eq!(f.state, WorkState::Done);
    assert_eq!(f.result, Some(json!({ "attempt": 2 })));
    assert_eq!(f.last_error.as_deref(), Some("the exchange did not answer"));
    assert_eq!(calls.0.load(Ordering::SeqCst), 2);
    let p = store.work_job(permanent).await.unwrap().unwrap();
    assert_eq!((p.state, p.attempts), (WorkState::Dead, 1));
    assert_eq!(p.last_error.as_deref(), Some("there is no case KUSP-0"));
    let b = store.work_job(panicky).await.unwrap().unwrap();
    assert_eq!((b.state, b.attempts), (WorkState::Dead, 2));
    assert!(b.last_error.unwrap().contains("unexpectedly"));
    assert_eq!(
        store.work_job(other).await.unwrap().unwrap().state,
        WorkState::Queued
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_whose_lease_is_lost_is_stopped_and_another_worker_finishes_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(dir.path()).await;
    let store = Store::open(&db.location).await.unwrap();
    let id = store
        .submit_job(&NewJob::new("slow", json!({}), "t"))
        .await
        .unwrap()
        .unwrap();
    let (stop, stopped) = watch::channel(false);
    let runner = Runner::new(store.clone(), config("w-slow")).with(Arc::new(Slow));
    let task = tokio::spawn(runner.run(stopped));
    // The renewal writes the handler's progress.
    for _ in 0..200 {
        if store.work_job(id).await.unwrap().unwrap().progress == "started" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        store.work_job(id).await.unwrap().unwrap().progress,
        "started"
    );
    // Someone else holds it now (as after an expiry and a claim elsewhere).
    store
        .execute_unchecked(format!(
            "UPDATE work_jobs SET lease_token = 'elsewhere', lease_owner = 'w-other', \
             lease_expires_ms = lease_expires_ms + 3600000 WHERE id = '{id}'"
        ))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await;
    stop.send(true).unwrap();
    let stats = tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("the runner stops without waiting for the lost job")
        .unwrap();
    assert_eq!(stats.lost, 1);
    assert_eq!(
        store.work_job(id).await.unwrap().unwrap().state,
        WorkState::Running
    );
}

struct Check;
impl Schedule for Check {
    fn name(&self) -> &'static str {
        "deadline-check"
    }
    fn every(&self) -> Duration {
        Duration::from_millis(50)
    }
    fn due<'a>(&'a self, _store: &'a Store) -> DueFuture<'a> {
        Box::pin(async move {
            let mut job = NewJob::new("deadline-check", json!({}), "scheduler");
            job.singleton = Some("deadline-check".into());
            Ok(vec![job])
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_process_runs_the_schedules_and_another_takes_over_when_it_stops() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(dir.path()).await;
    let store = Store::open(&db.location).await.unwrap();
    let lease = Duration::from_millis(300);
    let (stop_a, rx_a) = watch::channel(false);
    let (stop_b, rx_b) = watch::channel(false);
    let a = tokio::spawn(run_schedules(
        store.clone(),
        "a".into(),
        vec![Arc::new(Check)],
        lease,
        rx_a,
    ));
    tokio::time::sleep(Duration::from_millis(50)).await;
    let b = tokio::spawn(run_schedules(
        store.clone(),
        "b".into(),
        vec![Arc::new(Check)],
        lease,
        rx_b,
    ));
    tokio::time::sleep(Duration::from_millis(400)).await;
    // The singleton: one check queued however often the leader looked.
    let queued = |store: Store| async move {
        store
            .work_jobs(&WorkFilter {
                kind: Some("deadline-check".into()),
                ..WorkFilter::default()
            })
            .await
            .unwrap()
            .len()
    };
    assert_eq!(queued(store.clone()).await, 1);
    assert!(!store.take_lease("schedules", "c", 1_000).await.unwrap());
    stop_a.send(true).unwrap();
    assert_eq!(a.await.unwrap(), 1);
    // Take and finish the queued check, then the other process submits the next.
    let l = store.claim_job("w", &[], 60_000).await.unwrap().unwrap();
    store.finish_job(&l, &json!({})).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(queued(store.clone()).await, 2);
    stop_b.send(true).unwrap();
    assert_eq!(b.await.unwrap(), 1);
}
