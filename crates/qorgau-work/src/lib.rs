//! Qorgau's workers.
//!
//! Long work — captures, monitoring runs, imports, exports, checks — is a
//! job in the database's work queue (`qorgau_store::work`). A [`Runner`]
//! takes jobs of the kinds it has [`Handler`]s for, holds each job's lease
//! while it runs (renewing it, and stopping the job when the lease is
//! lost), retries failures with exponential back-off and leaves what
//! cannot succeed in the dead letter with its error. `qorgau worker` is a
//! runner in a process of its own, any number of them on any number of
//! machines against one PostgreSQL; on the embedded SQLite default,
//! `qorgau serve` runs the same runner in-process.
//!
//! [`schedule::run_schedules`] submits the timed jobs (the deadline check,
//! due monitoring jobs) from exactly one process at a time: whoever holds
//! the `schedules` lease in the database.

pub mod backoff;
pub mod handler;
pub mod runner;
pub mod schedule;

pub use backoff::Backoff;
pub use handler::{Finish, Handler, JobError, Running};
pub use runner::{Runner, RunnerConfig};
pub use schedule::{Schedule, run_schedules};
