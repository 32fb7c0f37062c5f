//! Errors of loading the screening form, each pointing at a file, line and
//! column.

use std::fmt;
use std::ops::Range;

use thiserror::Error;

/// One problem found while loading a screening configuration.
///
/// The methodological council and analysts edit the form by hand; an error
/// that names the file, the line and the column lets them fix it without
/// reading Rust.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{file}:{line}:{column}: {kind}")]
pub struct LoadError {
    /// The file name the caller gave (a path or a label such as
    /// `screening.default.toml`).
    pub file: String,
    /// 1-based line of the offending value.
    pub line: usize,
    /// 1-based column, counted in characters (Cyrillic counts one per letter).
    pub column: usize,
    /// What is wrong.
    pub kind: LoadErrorKind,
}

/// What is wrong with a configuration; kept as data so tests and the UI can
/// tell the cases apart without parsing messages.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LoadErrorKind {
    /// TOML syntax, a wrong type, a missing or an unknown field (the TOML
    /// parser's own message).
    #[error("{0}")]
    Syntax(String),
    /// A `format` this version cannot read.
    #[error("unsupported format {0}; this version reads format = 1")]
    UnsupportedFormat(i64),
    /// A group id that is not one of the four groups.
    #[error("unknown group `{0}`; expected one of physical, psychological, economic, digital")]
    UnknownGroup(String),
    /// One of the four groups is absent or has no indicator, so the form
    /// would silently stop asking about it (the digital block above all).
    #[error("group `{0}` is missing or has no indicator; all four groups are required")]
    MissingGroup(&'static str),
    /// Two groups or two indicators share an id, so explanations would be
    /// ambiguous.
    #[error("duplicate {what} `{id}` (first defined on line {first_line})")]
    Duplicate {
        /// `group` or `indicator`.
        what: &'static str,
        /// The repeated id.
        id: String,
        /// Line of the first definition.
        first_line: usize,
    },
    /// An indicator id that is not `<group>.<name>` of a-z, 0-9 and `_`.
    #[error(
        "bad indicator id `{id}`: expected `{group}.<name>` with a-z, 0-9, `_` (at most 64 characters)"
    )]
    BadIndicatorId {
        /// The id as written.
        id: String,
        /// The group it sits in.
        group: String,
    },
    /// A weight of zero or above the maximum.
    #[error("weight {0} is out of range; expected 1..=100")]
    BadWeight(i64),
    /// Thresholds that are not `0 < possible < positive`, or a positive
    /// threshold no combination of answers can reach.
    #[error("bad thresholds: {0}")]
    BadThresholds(String),
    /// A question without text in one of the three languages.
    #[error("question has no `{0}` text; every question needs ru, kk and en")]
    MissingText(&'static str),
    /// Any other structural problem (empty version, empty source, a flag
    /// combination that makes no sense).
    #[error("{0}")]
    Invalid(String),
}

/// All problems found in one load, so an editor sees every mistake at once
/// instead of fixing them one run at a time.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct LoadErrors(pub Vec<LoadError>);

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl LoadErrors {
    /// The errors, in file order, so callers can show or test each one.
    pub fn errors(&self) -> &[LoadError] {
        &self.0
    }
}

/// A loaded text with its name, used to turn byte offsets into line and
/// column for error messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

impl Source<'_> {
    /// 1-based line and character column of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = self.text.get(..offset).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        (line, column)
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.position(offset).0
    }

    /// An error at the start of a span.
    pub fn error(&self, span: Range<usize>, kind: LoadErrorKind) -> LoadError {
        let (line, column) = self.position(span.start);
        LoadError {
            file: self.name.to_string(),
            line,
            column,
            kind,
        }
    }

    /// Parses TOML into `T`, turning the parser's error into a positioned one.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, LoadErrors> {
        toml::from_str::<T>(self.text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            LoadErrors(vec![self.error(
                span,
                LoadErrorKind::Syntax(e.message().trim().to_string()),
            )])
        })
    }
}
