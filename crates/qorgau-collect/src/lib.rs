//! Collection at the edge: fetching sources over HTTP and running
//! monitoring jobs.
//!
//! Everything that talks to the outside world for monitoring lives here, so
//! that the domain (`qorgau-monitor`), the readers (`qorgau-sources`) and
//! the detection crates stay free of I/O. A run fetches a job's sources,
//! reads them into documents, has each one assessed by the caller's
//! [`Assess`] (the detection pipeline), keeps what the job's keywords and
//! filters select, reconciles with the archive, and saves the run, its
//! documents and its OSINT-log entry in one transaction.

mod error;
mod http;
mod run;

pub use error::CollectError;
pub use http::{Fetched, HttpClient, HttpOptions};
pub use run::{Assess, Assessed, Counts, RunContext, RunReport, run_job};
