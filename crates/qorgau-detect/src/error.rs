//! Errors from loading a lexicon.
//!
//! Analysts edit the lexicon by hand, so every error names the file and,
//! where there is one, the entry and the pattern, and says what is expected.

use std::path::PathBuf;

/// Why a lexicon could not be loaded. Loading is all-or-nothing: a lexicon
/// with one bad entry is refused, so that no flag is ever raised by a half
/// loaded rule set.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// A file or directory could not be read.
    #[error("cannot read lexicon {path}: {source}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A file is not valid TOML or does not have the lexicon's shape.
    #[error("lexicon file {file}: {message}")]
    Parse {
        /// File name.
        file: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// The directory has no `lexicon.toml` (version and scoring settings).
    #[error("lexicon directory {dir} has no lexicon.toml (version and [scoring])")]
    MissingManifest {
        /// The directory searched.
        dir: PathBuf,
    },
    /// Two entries (or combinations) share an id.
    #[error("lexicon file {file}: entry {id:?} repeats an id already used in {first}")]
    DuplicateId {
        /// File of the second use.
        file: String,
        /// The id.
        id: String,
        /// File of the first use.
        first: String,
    },
    /// `scenario`, `applies_to` or a combination names no known scenario.
    #[error(
        "lexicon file {file}: entry {id:?}: unknown scenario {value:?} (expected employment_abroad, \
         modeling_webcam, romance_grooming, escort_services, sextortion, minor_involved or context)"
    )]
    UnknownScenario {
        /// File name.
        file: String,
        /// Entry id.
        id: String,
        /// The value found.
        value: String,
    },
    /// A `patterns` key is not a language code.
    #[error(
        "lexicon file {file}: entry {id:?}: unknown language {value:?} (expected ru, kk, en, ky, uz or any)"
    )]
    UnknownLanguage {
        /// File name.
        file: String,
        /// Entry id.
        id: String,
        /// The key found.
        value: String,
    },
    /// A pattern is empty or malformed.
    #[error("lexicon file {file}: entry {id:?}: pattern {pattern:?}: {reason}")]
    BadPattern {
        /// File name.
        file: String,
        /// Entry id.
        id: String,
        /// The pattern as written.
        pattern: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An entry has no pattern at all.
    #[error("lexicon file {file}: entry {id:?} has no patterns")]
    NoPatterns {
        /// File name.
        file: String,
        /// Entry id.
        id: String,
    },
    /// A weight, bonus or threshold is outside its range.
    #[error("lexicon file {file}: entry {id:?}: {what} {value} is outside {range}")]
    OutOfRange {
        /// File name.
        file: String,
        /// Entry id (or setting name).
        id: String,
        /// Which number.
        what: &'static str,
        /// The value found.
        value: f32,
        /// The allowed range.
        range: &'static str,
    },
    /// `requires` or a combination names a group no entry provides.
    #[error("lexicon file {file}: entry {id:?} refers to group {group:?} that no entry provides")]
    UnknownGroup {
        /// File name.
        file: String,
        /// Entry id.
        id: String,
        /// The group.
        group: String,
    },
    /// The matcher could not be built (too many or too long patterns).
    #[error("lexicon: cannot build the phrase automaton: {0}")]
    Automaton(String),
}
