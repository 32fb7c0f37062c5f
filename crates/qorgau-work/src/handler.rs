//! What a job kind does.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use qorgau_store::{Lease, Store};

/// A boxed future a handler returns (trait objects cannot have async fns).
pub type HandlerFuture<'a> = Pin<Box<dyn Future<Output = Result<Finish, JobError>> + Send + 'a>>;

/// One job kind's code. The runner calls [`Handler::run`] with the job
/// leased to it; the handler does the work and says how it ended.
///
/// A handler whose effect is in the database writes it through
/// `Store::begin_finish` (the job's end and the effect in one
/// transaction, refused when the lease was lost) and returns
/// [`Finish::Committed`]; a handler whose effect is elsewhere (files, the
/// vault through a child process) must make it idempotent, because a
/// worker killed after the effect and before the end lets the job run
/// again.
pub trait Handler: Send + Sync {
    /// The job kind it runs (`capture`, `verify-item`, …).
    fn kind(&self) -> &'static str;
    /// Runs one job.
    fn run<'a>(&'a self, job: &'a Running) -> HandlerFuture<'a>;
    /// The longest one job may take before it is stopped and retried.
    fn deadline(&self) -> std::time::Duration {
        std::time::Duration::from_secs(600)
    }
}

/// How a job ended well.
#[derive(Debug)]
pub enum Finish {
    /// Done; the runner records this result.
    Result(serde_json::Value),
    /// The handler committed the job's end with its effect already.
    Committed,
}

/// How a job failed.
#[derive(Debug)]
pub enum JobError {
    /// Worth trying again later (a network error, a busy database).
    Retry(String),
    /// Trying again will not help (bad arguments, a case that does not
    /// exist): straight to the dead letter.
    Permanent(String),
}

impl std::fmt::Display for JobError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JobError::Retry(m) | JobError::Permanent(m) => f.write_str(m),
        }
    }
}

/// A job while it runs: its lease, the store, and the progress line the
/// runner writes with the next lease renewal (the page shows it).
#[derive(Debug)]
pub struct Running {
    /// The lease (job, token, attempt).
    pub lease: Lease,
    /// The database.
    pub store: Store,
    progress: Arc<Mutex<Option<String>>>,
}

impl Running {
    pub(crate) fn new(lease: Lease, store: Store) -> Self {
        Self {
            lease,
            store,
            progress: Arc::new(Mutex::new(None)),
        }
    }

    /// Reports progress ("page 3 of 12"); shown with the next renewal.
    pub fn progress(&self, line: &str) {
        if let Ok(mut p) = self.progress.lock() {
            *p = Some(line.chars().take(500).collect());
        }
    }

    pub(crate) fn progress_slot(&self) -> Arc<Mutex<Option<String>>> {
        Arc::clone(&self.progress)
    }

    /// A string argument of the payload, or a permanent error naming it.
    pub fn arg(&self, name: &str) -> Result<&str, JobError> {
        self.lease.job.payload[name].as_str().ok_or_else(|| {
            JobError::Permanent(format!(
                "{} job {}: the payload has no text argument {name:?}",
                self.lease.job.kind, self.lease.job.id
            ))
        })
    }
}
