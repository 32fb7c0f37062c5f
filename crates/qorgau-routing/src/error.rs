//! Errors of loading data files, each pointing at a file, line and column.

use std::fmt;
use std::ops::Range;

use thiserror::Error;

/// One problem found while loading a rule, agency or calendar file.
///
/// Administrators edit these files by hand; an error that names the file,
/// the line and the column lets them fix it without reading Rust.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{file}:{line}:{column}: {kind}")]
pub struct LoadError {
    /// The file name the caller gave (a path or a label such as `rules.toml`).
    pub file: String,
    /// 1-based line of the offending value.
    pub line: usize,
    /// 1-based column, counted in characters (Cyrillic text counts one per letter).
    pub column: usize,
    /// What is wrong.
    pub kind: LoadErrorKind,
}

/// What is wrong with a data file; kept as data so tests and the UI can tell
/// the cases apart without parsing messages.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LoadErrorKind {
    /// TOML syntax, a wrong type, a missing or an unknown field (the TOML
    /// parser's own message).
    #[error("{0}")]
    Syntax(String),
    /// The rule names an agency kind the agency file does not define.
    #[error("unknown agency kind `{0}` (not in the agency file)")]
    UnknownAgency(String),
    /// The rule names a scenario the agency file does not define.
    #[error("unknown scenario `{0}` (not in the agency file)")]
    UnknownScenario(String),
    /// The rule names a region code the agency file does not define.
    #[error("unknown region code `{0}` (not in the agency file)")]
    UnknownRegion(String),
    /// A data scope that is not one of the fixed scopes.
    #[error(
        "unknown data scope `{0}`; expected one of operational, evidence, identifiers, victim_support, statistics"
    )]
    UnknownScope(String),
    /// A duration that does not parse, is zero or is too long.
    #[error("bad duration `{text}`: {why}")]
    BadDuration {
        /// The text as written.
        text: String,
        /// Why it was refused.
        why: String,
    },
    /// Two rules share an id, so explanations would be ambiguous.
    #[error("duplicate rule id `{id}` (first defined on line {first_line})")]
    DuplicateRuleId {
        /// The repeated id.
        id: String,
        /// Line of the first definition.
        first_line: usize,
    },
    /// Two definitions (agency, scenario, region, holiday…) share a key.
    #[error("duplicate {what} `{key}` (first defined on line {first_line})")]
    Duplicate {
        /// What kind of definition.
        what: &'static str,
        /// The repeated key.
        key: String,
        /// Line of the first definition.
        first_line: usize,
    },
    /// Scopes that cannot be granted together (e.g. `statistics`, which is
    /// de-identified, beside a personal scope; or the same scope twice).
    #[error("contradictory scopes: {0}")]
    ContradictoryScopes(String),
    /// The agency file does not allow this agency to receive this scope.
    #[error(
        "agency `{agency}` may not receive scope `{scope}` (see its `scopes` in the agency file)"
    )]
    ScopeNotAllowed {
        /// Agency kind.
        agency: String,
        /// The refused scope.
        scope: String,
    },
    /// A structural problem that is not a syntax error (empty lists, a
    /// condition with no test, an action deadline shorter than the
    /// acknowledgement deadline, a date outside its year…).
    #[error("{0}")]
    Invalid(String),
}

/// All problems found in one load, so an administrator sees every mistake at
/// once instead of fixing them one run at a time.
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
    /// The errors, in file order.
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

impl<'a> Source<'a> {
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
