//! Monitoring jobs: the proactive watch over open channels, job boards and
//! sites that study section 5.2 asks for.
//!
//! This crate is the domain of monitoring and does no I/O: what a job
//! watches ([`JobSpec`]), which fetched documents it keeps ([`Selector`]:
//! keywords and filters, so that Qorgau does not hoard posts that have
//! nothing to do with the search), and what changed since the last run
//! ([`reconcile`]: new, changed, unchanged, deleted, restored). Fetching
//! lives in `qorgau-collect`, persistence in `qorgau-store`.

mod job;
mod reconcile;
mod select;

pub use job::{DEFAULT_MAX_PICTURES, Filters, JobSpec, JobSpecError, SourceKind};
pub use reconcile::{Change, Coverage, Known, Observed, reconcile};
pub use select::{Selector, Verdict};
