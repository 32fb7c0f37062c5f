//! Errors of this crate: only reading stored data can fail.

/// A stored signature could not be read back.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignatureError {
    /// The byte length is zero or not a multiple of 4.
    #[error("a stored signature is {0} bytes long, expected a non-zero multiple of 4")]
    Length(usize),
}
