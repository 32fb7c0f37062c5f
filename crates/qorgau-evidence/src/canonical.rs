//! Canonical bytes for hashing records.
//!
//! Every digest in the ledger is taken over the JSON serialisation of a plain
//! struct whose fields are strings, integers or nested structs of the same
//! kind, in declaration order, with no white space. serde_json emits struct
//! fields in declaration order, so the bytes are a pure function of the values;
//! free-form details are carried as already-serialised text, never re-encoded.
//! A domain tag in front keeps a digest of one kind of record from ever being
//! mistaken for another.

use qorgau_core::Sha256Digest;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// SHA-256 of `tag`, a newline, and the canonical JSON of `value`.
pub fn digest_of<T: Serialize>(tag: &str, value: &T) -> Sha256Digest {
    let mut hasher = Sha256::new();
    hasher.update(tag.as_bytes());
    hasher.update(b"\n");
    // Serialising plain structs of strings and integers into a Vec cannot fail.
    let json = serde_json::to_vec(value).unwrap_or_default();
    hasher.update(&json);
    Sha256Digest::from_bytes(hasher.finalize().into())
}
