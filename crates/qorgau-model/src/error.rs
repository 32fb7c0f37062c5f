//! Errors of the model crate.
//!
//! Policy: an error says which input is wrong (the line of a labelled file,
//! the option, the part of a model file) and, where there is something to do,
//! what. A model file that fails any check is refused whole: a model that
//! scores documents must be exactly the one that was trained and reviewed.

use std::io;

/// Why training, reading labels or loading a model failed.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// `train` got no examples.
    #[error("no labelled examples to train on")]
    NoExamples,
    /// All examples carry the same label: there is nothing to separate.
    #[error(
        "the labels name only one class ({0:?}); training needs at least two, e.g. \"none\" and a scenario"
    )]
    SingleClass(String),
    /// An example's label is empty.
    #[error("example {index} has an empty label")]
    EmptyLabel {
        /// Index of the example (0-based) in the slice given to `train`.
        index: usize,
    },
    /// An example's label is the name of the minor head, which explanations
    /// use to address it; minors are marked with `minor: true` instead.
    #[error(
        "example {index} is labelled \"minor\"; mark minors with \"minor\": true and give the scenario as the label"
    )]
    ReservedLabel {
        /// Index of the example (0-based) in the slice given to `train`.
        index: usize,
    },
    /// A training option is out of range.
    #[error("invalid training option: {0}")]
    InvalidOption(String),
    /// A line of a labelled JSON Lines file is not a usable example.
    #[error("labelled file, line {line}: {message}")]
    BadLabelledLine {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// Reading or writing failed.
    #[error("i/o error: {0}")]
    Io(#[from] io::Error),
    /// The file does not start with the model header: not a Qorgau model.
    #[error("not a Qorgau model file (the header is missing or wrong)")]
    BadMagic,
    /// The file was written in a format this build does not read.
    #[error(
        "model file format version {found} is not supported (this build reads version {supported}); retrain with this build"
    )]
    UnsupportedVersion {
        /// Version in the file.
        found: u16,
        /// Version this build reads.
        supported: u16,
    },
    /// The file ends before its declared length.
    #[error("model file is truncated: {what} needs {expected} bytes, only {got} present")]
    Truncated {
        /// The part that was being read.
        what: &'static str,
        /// Bytes declared or required.
        expected: u64,
        /// Bytes present.
        got: u64,
    },
    /// The content does not match the SHA-256 recorded in the header.
    #[error("model file is corrupt: content SHA-256 is {found}, header says {expected}")]
    ChecksumMismatch {
        /// Digest in the header (hex).
        expected: String,
        /// Digest of the content read (hex).
        found: String,
    },
    /// The content passed its checksum but does not describe a valid model
    /// (written by a faulty tool, or bytes after the end).
    #[error("model file is corrupt: {0}")]
    Corrupt(String),
}
