//! placeholder
pub mod blobs;
pub mod hashing;
