//! Errors of the format layer.
//!
//! Each variant names where the problem is (a record's offset in its file,
//! a field's name, a ZIP entry) so that an investigator or the lead can find
//! the bad bytes without a debugger: archives end up in court, and "invalid
//! data" is no answer there.

use std::io;

/// Everything that can go wrong while writing, reading, indexing or packaging.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Writing or reading the underlying stream failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done (e.g. "writing record <urn:uuid:…>").
        context: String,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// A WARC file is not well formed at `offset` (a byte offset in the file
    /// as stored: compressed offset of the gzip member for `.warc.gz`).
    #[error("malformed WARC record at offset {offset}: {problem}")]
    Malformed {
        /// Where the record (or the gzip member holding it) starts.
        offset: u64,
        /// What is wrong, in words.
        problem: String,
    },
    /// A value given to the writer cannot be written as asked (e.g. a
    /// header name with a colon, or a line break in a URI).
    #[error("invalid {what}: {problem}")]
    Invalid {
        /// Which field or argument.
        what: String,
        /// Why it was refused.
        problem: String,
    },
    /// An HTTP message block could not be parsed.
    #[error("malformed HTTP message: {problem}")]
    Http {
        /// What is wrong, in words.
        problem: String,
    },
    /// Building the WACZ ZIP failed.
    #[error("WACZ entry {entry}: {source}")]
    Zip {
        /// The entry being written.
        entry: String,
        /// The ZIP library's error.
        #[source]
        source: zip::result::ZipError,
    },
}

impl Error {
    /// An I/O error with what was being done.
    pub(crate) fn io(context: impl Into<String>, source: io::Error) -> Self {
        Self::Io {
            context: context.into(),
            source,
        }
    }

    /// A malformed-input error at `offset`.
    pub(crate) fn malformed(offset: u64, problem: impl Into<String>) -> Self {
        Self::Malformed {
            offset,
            problem: problem.into(),
        }
    }

    /// A refused argument.
    pub(crate) fn invalid(what: impl Into<String>, problem: impl Into<String>) -> Self {
        Self::Invalid {
            what: what.into(),
            problem: problem.into(),
        }
    }

    /// A malformed HTTP message.
    pub(crate) fn http(problem: impl Into<String>) -> Self {
        Self::Http {
            problem: problem.into(),
        }
    }
}

/// Result of this crate.
pub type Result<T> = std::result::Result<T, Error>;
