//! Errors of collection.

/// What stopped a fetch or a run.
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    /// The HTTP client could not be set up (TLS roots, proxy settings).
    #[error("cannot set up the HTTP client: {0}")]
    Client(String),
    /// A request failed before an answer came (DNS, connection, timeout).
    #[error("{url}: {message}")]
    Request {
        /// The URL requested.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// An answer was larger than the limit.
    #[error("{url}: the answer is larger than {limit} bytes; not read further")]
    TooLarge {
        /// The URL requested.
        url: String,
        /// The limit in bytes.
        limit: usize,
    },
    /// The archive or the ledger could not be written or read.
    #[error(transparent)]
    Store(#[from] qorgau_store::StoreError),
}
