//! The loop that takes jobs and runs them.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use qorgau_core::{Id, Timestamp};
use qorgau_store::{Lease, Store, StoreError, WorkState, WorkerRecord};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::backoff::Backoff;
use crate::handler::{Finish, Handler, JobError, Running};

/// How a runner behaves.
#[derive(Debug, Clone)]
pub struct RunnerConfig {
    /// The worker's id in leases and attempts (host, pid, a random part).
    pub worker_id: String,
    /// Jobs run at once.
    pub concurrency: usize,
    /// How long a lease lasts without renewal: a killed worker's jobs go
    /// to others this long after it stopped answering. Renewed every third.
    pub lease: Duration,
    /// How often to look for jobs when the queue was empty.
    pub poll: Duration,
    /// Waits between attempts.
    pub backoff: Backoff,
}

impl RunnerConfig {
    /// The usual settings for a worker on this host.
    pub fn for_this_process(concurrency: usize) -> Self {
        Self {
            worker_id: worker_id(),
            concurrency: concurrency.max(1),
            lease: Duration::from_secs(30),
            poll: Duration::from_millis(500),
            backoff: Backoff::default(),
        }
    }
}

/// `host/pid/random`: unique across restarts and machines, readable in
/// the administration page.
pub fn worker_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "localhost".into());
    let random = Id::new().to_string();
    format!(
        "{host}/{}/{}",
        std::process::id(),
        &random[random.len().saturating_sub(6)..]
    )
}

/// Takes jobs of the kinds it has handlers for and runs them.
pub struct Runner {
    store: Store,
    handlers: HashMap<&'static str, Arc<dyn Handler>>,
    config: RunnerConfig,
}

impl std::fmt::Debug for Runner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runner")
            .field("kinds", &self.kinds())
            .field("config", &self.config)
            .finish()
    }
}

/// What a runner did before it stopped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunStats {
    /// Jobs finished.
    pub done: u64,
    /// Attempts that failed and will be retried.
    pub retried: u64,
    /// Jobs left in the dead letter.
    pub dead: u64,
    /// Jobs whose lease was lost while they ran.
    pub lost: u64,
}

enum Ended {
    Done,
    Retried,
    Dead,
    Lost,
}

impl Runner {
    /// A runner with no handlers yet.
    pub fn new(store: Store, config: RunnerConfig) -> Self {
        Self {
            store,
            handlers: HashMap::new(),
            config,
        }
    }

    /// Adds the handler of one kind.
    pub fn with(mut self, handler: Arc<dyn Handler>) -> Self {
        self.handlers.insert(handler.kind(), handler);
        self
    }

    /// The kinds it takes, sorted.
    pub fn kinds(&self) -> Vec<String> {
        let mut kinds: Vec<String> = self.handlers.keys().map(|k| (*k).to_owned()).collect();
        kinds.sort();
        kinds
    }

    /// The worker's id.
    pub fn worker_id(&self) -> &str {
        &self.config.worker_id
    }

    /// Runs until `stop` turns true, then lets running jobs finish. A
    /// database that cannot be reached is retried, never fatal: the
    /// worker waits for it like for an empty queue.
    pub async fn run(self, mut stop: watch::Receiver<bool>) -> RunStats {
        let kinds = self.kinds();
        let me = WorkerRecord {
            id: self.config.worker_id.clone(),
            host: self
                .config
                .worker_id
                .split('/')
                .next()
                .unwrap_or_default()
                .to_owned(),
            pid: i64::from(std::process::id()),
            kinds: kinds.join(","),
            started_at: Timestamp::now(),
        };
        let lease_ms = i64::try_from(self.config.lease.as_millis()).unwrap_or(30_000);
        let mut stats = RunStats::default();
        let mut tasks: JoinSet<Ended> = JoinSet::new();
        let mut last_alive: Option<tokio::time::Instant> = None;
        let mut last_reap: Option<tokio::time::Instant> = None;
        let beat = self.config.lease / 3;
        loop {
            if *stop.borrow() {
                break;
            }
            let now = tokio::time::Instant::now();
            if last_alive.is_none_or(|t| now - t >= beat) {
                match self.store.worker_alive(&me).await {
                    Ok(()) => last_alive = Some(now),
                    Err(e) => tracing::warn!(error = %e, "cannot register the worker"),
                }
            }
            if last_reap.is_none_or(|t| now - t >= self.config.lease) {
                match self.store.reap_lost_jobs().await {
                    Ok(n) if n > 0 => {
                        tracing::warn!(jobs = n, "jobs lost on every attempt: dead-lettered")
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "cannot look for lost jobs"),
                }
                last_reap = Some(now);
            }
            let mut idle = false;
            while tasks.len() < self.config.concurrency {
                match self
                    .store
                    .claim_job(&self.config.worker_id, &kinds, lease_ms)
                    .await
                {
                    Ok(Some(lease)) => {
                        let Some(handler) = self.handlers.get(lease.job.kind.as_str()) else {
                            continue;
                        };
                        tracing::info!(job = %lease.job.id, kind = %lease.job.kind, attempt = lease.attempt, "job taken");
                        tasks.spawn(run_one(
                            self.store.clone(),
                            Arc::clone(handler),
                            lease,
                            self.config.lease,
                            self.config.backoff,
                        ));
                    }
                    Ok(None) => {
                        idle = true;
                        break;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot claim a job");
                        idle = true;
                        break;
                    }
                }
            }
            let wait = if idle || tasks.len() >= self.config.concurrency {
                self.config.poll
            } else {
                Duration::ZERO
            };
            tokio::select! {
                Some(ended) = tasks.join_next(), if !tasks.is_empty() => count(&mut stats, ended),
                _ = tokio::time::sleep(wait) => {}
                _ = stop.changed() => {}
            }
        }
        while let Some(ended) = tasks.join_next().await {
            count(&mut stats, ended);
        }
        if let Err(e) = self.store.worker_gone(&self.config.worker_id).await {
            tracing::warn!(error = %e, "cannot unregister the worker");
        }
        stats
    }
}

fn count(stats: &mut RunStats, ended: Result<Ended, tokio::task::JoinError>) {
    match ended {
        Ok(Ended::Done) => stats.done += 1,
        Ok(Ended::Retried) => stats.retried += 1,
        Ok(Ended::Dead) => stats.dead += 1,
        Ok(Ended::Lost) | Err(_) => stats.lost += 1,
    }
}

/// Runs one job beside the renewal of its lease; whichever ends first
/// decides. The handler runs in a task of its own so that a panic is an
/// error of this job, not of the worker.
async fn run_one(
    store: Store,
    handler: Arc<dyn Handler>,
    lease: Lease,
    lease_for: Duration,
    backoff: Backoff,
) -> Ended {
    let lease_ms = i64::try_from(lease_for.as_millis()).unwrap_or(30_000);
    let running = Running::new(lease.clone(), store.clone());
    let progress = running.progress_slot();
    let deadline = handler.deadline();
    let mut work = tokio::spawn({
        let handler = Arc::clone(&handler);
        async move { tokio::time::timeout(deadline, handler.run(&running)).await }
    });
    let renew = async {
        let mut failing_since: Option<tokio::time::Instant> = None;
        loop {
            tokio::time::sleep(lease_for / 3).await;
            let line = progress.lock().ok().and_then(|mut p| p.take());
            match store
                .renew_job_lease(&lease, lease_ms, line.as_deref())
                .await
            {
                Ok(true) => failing_since = None,
                Ok(false) => return,
                Err(e) => {
                    tracing::warn!(job = %lease.job.id, error = %e, "cannot renew the lease");
                    let since = *failing_since.get_or_insert_with(tokio::time::Instant::now);
                    // Past the lease, another worker may have taken it.
                    if since.elapsed() >= lease_for {
                        return;
                    }
                }
            }
        }
    };
    let outcome = tokio::select! {
        r = &mut work => r,
        () = renew => {
            work.abort();
            tracing::warn!(job = %lease.job.id, "lease lost: the job was stopped here and runs elsewhere");
            return Ended::Lost;
        }
    };
    let failed = |error: JobError| -> (String, Option<i64>) {
        match error {
            JobError::Retry(m) => {
                let jitter =
                    f64::from(u16::try_from(Id::new().as_uuid().as_u128() % 1000).unwrap_or(0))
                        / 1000.0;
                let wait = backoff.wait(lease.attempt, jitter);
                (m, Some(i64::try_from(wait.as_millis()).unwrap_or(i64::MAX)))
            }
            JobError::Permanent(m) => (m, None),
        }
    };
    let (error, retry) = match outcome {
        Ok(Ok(Ok(Finish::Result(value)))) => {
            return match store.finish_job(&lease, &value).await {
                Ok(()) => {
                    tracing::info!(job = %lease.job.id, "job done");
                    Ended::Done
                }
                Err(StoreError::Conflict(m)) => {
                    tracing::warn!(job = %lease.job.id, "{m}");
                    Ended::Lost
                }
                Err(e) => {
                    // The lease runs out and the job is retried elsewhere.
                    tracing::error!(job = %lease.job.id, error = %e, "cannot record the job's end");
                    Ended::Lost
                }
            };
        }
        Ok(Ok(Ok(Finish::Committed))) => {
            tracing::info!(job = %lease.job.id, "job done");
            return Ended::Done;
        }
        Ok(Ok(Err(e))) => failed(e),
        Ok(Err(_elapsed)) => failed(JobError::Retry(format!(
            "stopped after {} s without finishing",
            deadline.as_secs()
        ))),
        Err(join) => failed(JobError::Retry(if join.is_panic() {
            "the job's code failed unexpectedly (a bug: see the worker's log)".to_owned()
        } else {
            "the job was cancelled".to_owned()
        })),
    };
    match store.fail_job(&lease, &error, retry).await {
        Ok(WorkState::Dead) => {
            tracing::warn!(job = %lease.job.id, error = %error, "job failed for good: dead letter");
            Ended::Dead
        }
        Ok(_) => {
            tracing::info!(job = %lease.job.id, error = %error, "job failed: will retry");
            Ended::Retried
        }
        Err(e) => {
            tracing::warn!(job = %lease.job.id, error = %e, "cannot record the failure");
            Ended::Lost
        }
    }
}
