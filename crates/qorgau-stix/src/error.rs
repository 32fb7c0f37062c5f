//! Errors of this crate: each names what was wrong and where, so an analyst
//! can fix the indicator without reading code.

use thiserror::Error;

/// A value that does not fit one of the model's restricted types.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ModelError {
    /// A case reference with characters other than `[A-Za-z0-9._-]`, empty
    /// or longer than 64.
    #[error(
        "case reference {value:?} is not an opaque reference: use 1-64 characters of A-Z, a-z, 0-9, '.', '_', '-'"
    )]
    CaseRef {
        /// The rejected value.
        value: String,
    },
    /// A label that is not a lowercase slug.
    #[error(
        "label {value:?} is not a slug: start with a-z or 0-9, then a-z, 0-9, '.', '_', ':', '-', at most 64"
    )]
    Label {
        /// The rejected value.
        value: String,
    },
}

/// What is wrong with one indicator's value or fields.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ValueProblem {
    /// Nothing (or only an `@`) was given.
    #[error("is empty")]
    Empty,
    /// Spaces, tabs or line breaks inside the value.
    #[error("contains whitespace")]
    Whitespace,
    /// Control characters inside the value.
    #[error("contains a control character")]
    ControlCharacter,
    /// Longer than the kind allows.
    #[error("is longer than {max} characters")]
    TooLong {
        /// The limit.
        max: usize,
    },
    /// Not a domain name; the text says which rule failed.
    #[error("is not a domain name: {0}")]
    Domain(&'static str),
    /// Not an absolute http(s) URL; the text says which rule failed.
    #[error("is not a URL: {0}")]
    Url(&'static str),
    /// Not an e-mail address; the text says which rule failed.
    #[error("is not an e-mail address: {0}")]
    Email(&'static str),
    /// Not an E.164 phone number.
    #[error("is not a phone number in E.164 form (+ then 7-15 digits, e.g. +77010000000)")]
    Phone,
    /// Not an account name on the platform; the text says which rule failed.
    #[error("is not an account name: {0}")]
    Handle(&'static str),
    /// Not an address on the chain; the text says which rule failed.
    #[error("is not a wallet address: {0}")]
    Wallet(&'static str),
    /// A platform or chain slug of `Other` that is not a lowercase slug.
    #[error(
        "names platform or chain {0:?}, which is not a lowercase slug ([a-z0-9][a-z0-9_-]*, at most 32)"
    )]
    Slug(String),
    /// Confidence above 100.
    #[error("has confidence {0}, above 100")]
    Confidence(u8),
    /// `times_seen` of zero.
    #[error("was seen 0 times (times_seen must be at least 1)")]
    TimesSeen,
    /// `last_seen` before `first_seen`.
    #[error("was last seen before it was first seen")]
    SeenOrder,
}

/// Why a case could not be exported. Indicators are named by their position
/// in [`crate::CaseIndicators::indicators`] (from 1), kind and value.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ExportError {
    /// One indicator is invalid.
    #[error("indicator #{number} ({kind}) {value:?} {problem}")]
    Indicator {
        /// Position in the case, from 1.
        number: usize,
        /// Kind as a short phrase ("Telegram handle", "wallet on tron").
        kind: String,
        /// The value as given.
        value: String,
        /// What is wrong.
        problem: ValueProblem,
    },
    /// Two indicators are the same identifier.
    #[error("indicator #{number} ({kind}) {value:?} repeats indicator #{first}")]
    Duplicate {
        /// Position of the repetition, from 1.
        number: usize,
        /// Position of the first occurrence, from 1.
        first: usize,
        /// Kind as a short phrase.
        kind: String,
        /// The normalised value.
        value: String,
    },
    /// A relation names a value no indicator has, or one several have, or
    /// links an indicator to itself.
    #[error("relation #{number} ({from:?} -> {to:?}) {problem}")]
    Relation {
        /// Position in the case's relations, from 1.
        number: usize,
        /// Its `from` value.
        from: String,
        /// Its `to` value.
        to: String,
        /// What is wrong.
        problem: &'static str,
    },
    /// The title is empty, too long or has control characters.
    #[error("the case title {0}")]
    Title(&'static str),
    /// The producer name is empty, too long or has control characters.
    #[error("the producer name {0}")]
    Producer(&'static str),
    /// `modified` before `created`.
    #[error("the case was modified before it was created")]
    CaseTimes,
    /// No indicators: a report must refer to something.
    #[error("the case has no indicators to share")]
    NoIndicators,
}
