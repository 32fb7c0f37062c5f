//! Errors of the vault.
//!
//! Policy: an error names the input (path, case, item) and the problem, and
//! says what to do where there is something to do. A failure on one file of
//! a folder is an [`AcquireError`]: it is reported and the rest goes on. A
//! [`VaultError`] stops the command; nothing registered before it is lost.

use std::io;
use std::path::PathBuf;

use qorgau_store::StoreError;

/// Why one file could not be acquired.
#[derive(Debug, thiserror::Error)]
pub enum AcquireError {
    /// The original could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// Not a regular file (socket, device, pipe, dangling link…).
    #[error("{path} is not a regular file ({kind}); not acquired")]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What it is.
        kind: &'static str,
    },
    /// The file changed while it was being read: the copy would not be
    /// bit-for-bit the original at any one moment.
    #[error(
        "{path} changed while it was being read ({what}); not acquired — acquire it again once nothing writes to it"
    )]
    Changed {
        /// The file.
        path: PathBuf,
        /// What changed.
        what: String,
    },
    /// Writing into the vault failed.
    #[error("cannot store {path} in the vault at {vault}: {source}")]
    VaultWrite {
        /// The original.
        path: PathBuf,
        /// The vault directory.
        vault: PathBuf,
        /// The OS error (for example, no space left on device).
        #[source]
        source: io::Error,
    },
}

impl AcquireError {
    /// The file concerned.
    pub fn path(&self) -> &std::path::Path {
        match self {
            AcquireError::Unreadable { path, .. }
            | AcquireError::NotAFile { path, .. }
            | AcquireError::Changed { path, .. }
            | AcquireError::VaultWrite { path, .. } => path,
        }
    }

    /// True when the vault itself cannot take more (disk full, read-only):
    /// going on with other files would only repeat the error.
    pub fn is_fatal(&self) -> bool {
        matches!(self, AcquireError::VaultWrite { .. })
    }
}

/// Why a vault command stopped.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file operation on the vault's own files failed.
    #[error("{doing}: {source}")]
    Io {
        /// What was being done.
        doing: String,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// The input named by the user is not usable.
    #[error("{0}")]
    Input(String),
    /// The S3 blob store failed, or gave bytes that are not the blob
    /// asked for (never served).
    #[error("{0}")]
    Remote(String),
    /// The installation key is unusable.
    #[error("the ledger key at {path} is not usable: {reason}")]
    Key {
        /// Key file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}

impl VaultError {
    /// Wraps an I/O error with what was being done.
    pub fn io(doing: impl Into<String>, source: io::Error) -> Self {
        VaultError::Io {
            doing: doing.into(),
            source,
        }
    }
}
