//! Shared domain primitives for every Qorgau crate.
//!
//! These types cross crate boundaries (vault, detection, cases, server), so they
//! live here and nowhere else. Each one is a newtype with a `parse` constructor:
//! once a value exists it is valid, and code further down the pipeline never has
//! to check again ("parse, don't validate"). Nothing here does I/O.

pub mod case;
pub mod digest;
pub mod id;
pub mod provenance;
pub mod time;

pub use case::{CaseName, CaseNameError};
pub use digest::{DigestParseError, Md5Digest, Sha256Digest};
pub use id::{Id, IdParseError};
pub use provenance::{Actor, Tool};
pub use time::{Timestamp, TimestampParseError};
