//! The local `openssl ts` authority lives in the test site crate (the CLI's
//! capture tests use it too); what only these tests need is here.

#![allow(dead_code)]

pub use qorgau_testsite::tsa::*;
use sha2::{Digest, Sha256};

/// Trust anchors read from a PEM file in the TSA's directory with the
/// crate's own helper.
pub fn anchors(tsa: &Tsa, file: &str) -> Vec<qorgau_timestamp::Certificate> {
    qorgau_timestamp::certificates_from_pem(&std::fs::read(tsa.path(file)).unwrap()).unwrap()
}

/// SHA-256 of `data`, as a fixed array.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}
