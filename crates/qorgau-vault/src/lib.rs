//! The evidence vault: where acquired material is kept so that a court can
//! rely on it.
//!
//! Flow of `add`: walk the named paths → for each file, one read that copies
//! it into the [`blobs`] store and computes MD5 and SHA-256 ([`hashing`]) →
//! detect the media type and read image/video metadata from the stored copy,
//! and the perceptual hashes of images ([`image_hashes`]) → register the item,
//! its signed `acquired` custody entry and its hashes in one database
//! transaction ([`acquire`]). [`verify`] re-hashes every blob and
//! checks every record against the ledger; [`export`] hands a case over as a
//! BagIt bag with a hashdeep audit file.
//!
//! This crate does file I/O; SQL stays in `qorgau-store`, the rules of the
//! ledger in `qorgau-evidence`.

pub mod acquire;
pub mod blobs;
pub mod capture;
pub mod error;
pub mod export;
pub mod hashing;
pub mod image_hashes;
pub mod item_check;
pub mod keys;
pub mod media_type;
pub mod restricted;
pub mod s3;
pub mod time_stamps;
pub mod vault;
pub mod verify;
pub mod working_copy;

pub use acquire::{AcquireObserver, AddRequest, AddSummary};
pub use blobs::Replicated;
pub use error::{AcquireError, VaultError};
pub use vault::{Vault, VaultConfig};
pub use verify::{Location, Problem, VerifyReport};
