//! Timed jobs, submitted by exactly one process at a time.
//!
//! Every process that runs schedules tries to take the `schedules` lease
//! in the database every third of its length; the one that holds it
//! submits what is due. A holder that dies stops renewing and another
//! takes over within one lease. Jobs a schedule submits carry singleton
//! keys, so the moment two processes both believe they lead (a paused
//! holder whose lease ran out) adds nothing twice.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use qorgau_store::{NewJob, Store, StoreError};
use tokio::sync::watch;

/// The lease's name.
pub const LEASE: &str = "schedules";

/// A boxed future of the jobs due.
pub type DueFuture<'a> = Pin<Box<dyn Future<Output = Result<Vec<NewJob>, StoreError>> + Send + 'a>>;

/// One timed duty.
pub trait Schedule: Send + Sync {
    /// Its name, for logs.
    fn name(&self) -> &'static str;
    /// How often to look.
    fn every(&self) -> Duration;
    /// The jobs due now (each with a singleton key).
    fn due<'a>(&'a self, store: &'a Store) -> DueFuture<'a>;
}

/// Runs the schedules while this process holds the lease, until `stop`.
/// Returns how many jobs it submitted.
pub async fn run_schedules(
    store: Store,
    holder: String,
    schedules: Vec<Arc<dyn Schedule>>,
    lease: Duration,
    mut stop: watch::Receiver<bool>,
) -> u64 {
    let lease_ms = i64::try_from(lease.as_millis()).unwrap_or(30_000);
    let mut next: HashMap<&'static str, tokio::time::Instant> = HashMap::new();
    let mut submitted = 0;
    let mut leading = false;
    loop {
        if *stop.borrow() {
            break;
        }
        match store.take_lease(LEASE, &holder, lease_ms).await {
            Ok(true) => {
                if !leading {
                    tracing::info!(holder = %holder, "running the schedules");
                }
                leading = true;
                let now = tokio::time::Instant::now();
                for s in &schedules {
                    if next.get(s.name()).is_some_and(|at| *at > now) {
                        continue;
                    }
                    match s.due(&store).await {
                        Ok(jobs) => {
                            for job in jobs {
                                match store.submit_job(&job).await {
                                    Ok(Some(_)) => submitted += 1,
                                    Ok(None) => {}
                                    Err(e) => {
                                        tracing::warn!(schedule = s.name(), error = %e, "cannot submit")
                                    }
                                }
                            }
                            next.insert(s.name(), now + s.every());
                        }
                        Err(e) => {
                            tracing::warn!(schedule = s.name(), error = %e, "schedule failed")
                        }
                    }
                }
            }
            Ok(false) => {
                if leading {
                    tracing::info!(holder = %holder, "another process runs the schedules now");
                }
                leading = false;
                next.clear();
            }
            Err(e) => tracing::warn!(error = %e, "cannot take the schedules lease"),
        }
        tokio::select! {
            _ = tokio::time::sleep(lease / 3) => {}
            _ = stop.changed() => {}
        }
    }
    if leading && let Err(e) = store.release_lease(LEASE, &holder).await {
        tracing::warn!(error = %e, "cannot release the schedules lease");
    }
    submitted
}
