//! The evidence domain: what an evidence item is, and the custody ledger that
//! vouches for it.
//!
//! Contract:
//! - An [`item::ItemRecord`] is everything recorded when a file is acquired.
//!   Its [`item::ItemRecord::record_digest`] covers every field, so a record
//!   changed after acquisition no longer matches the digest its custody entry
//!   holds.
//! - The [`custody`] ledger is append-only: each entry carries the hash of the
//!   previous entry of its chain (one chain per case) and an Ed25519 signature
//!   by the installation key. [`custody::verify_chain`] checks a chain offline
//!   and names each entry that does not hold.
//!
//! This crate does no I/O: storage and files live in `qorgau-store` and
//! `qorgau-vault`, so these rules can be checked anywhere, including by a
//! court's expert on an exported bag.

pub mod canonical;
pub mod capture;
pub mod case;
pub mod custody;
pub mod hash_list;
pub mod item;
pub mod keys;

pub use capture::CaptureRecord;
pub use case::CaseRecord;
pub use custody::{ChainProblem, EntryDraft, EventKind, LedgerEntry, verify_chain};
pub use item::{FileTimes, ItemRecord};
pub use keys::{KeyError, KeyId, LedgerKey, PublicKey};
