//! Errors: every problem in a data file names the file, line and column, so that
//! whoever amends the law data can find the mistake without reading Rust.

use std::fmt;

use serde::Serialize;

/// The law data could not be loaded. Holds every problem found, not only the
/// first, so that one edit cycle fixes them all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct LoadError {
    /// The problems, in file order.
    pub issues: Vec<DataIssue>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} problem(s) in the law data", self.issues.len())?;
        for issue in &self.issues {
            write!(f, "\n  {issue}")?;
        }
        Ok(())
    }
}

/// One problem at one place of one data file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{file}:{line}:{column}: {kind}")]
pub struct DataIssue {
    /// The file's name as given to the loader (e.g. `articles/128.toml`).
    pub file: String,
    /// 1-based line of the offending value (1 when the file as a whole is at fault).
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub kind: IssueKind,
}

/// What is wrong with a data file. Each message says what to change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "issue", rename_all = "snake_case")]
pub enum IssueKind {
    /// The file is not valid TOML or does not have the expected shape.
    #[error("{message}")]
    Syntax {
        /// The TOML parser's message.
        message: String,
    },
    /// A condition, `implies` list or rule names a fact that `facts.toml` lacks.
    #[error("unknown fact `{fact}` (it is not defined in facts.toml)")]
    UnknownFact {
        /// The name as written.
        fact: String,
    },
    /// Two facts share one id.
    #[error("fact `{fact}` is defined twice")]
    DuplicateFact {
        /// The repeated id.
        fact: String,
    },
    /// Two files describe the same article.
    #[error("article {article} is already defined in {first_file}")]
    DuplicateArticle {
        /// The article number.
        article: u16,
        /// The file that defined it first.
        first_file: String,
    },
    /// One article has two parts with the same number.
    #[error("article {article} has part `{part}` twice (first at line {first_line})")]
    DuplicatePart {
        /// The article number.
        article: u16,
        /// The repeated part number.
        part: String,
        /// Line of the first definition.
        first_line: usize,
    },
    /// One part lists the same numbered item twice.
    #[error("part `{part}` lists item `{item}` twice")]
    DuplicateItem {
        /// The part number.
        part: String,
        /// The repeated item.
        item: String,
    },
    /// `base` names a part the article does not have, or one that itself has a base.
    #[error("part `{part}`: base part `{base}` is missing or is not a part with its own corpus")]
    BadBase {
        /// The part that has the `base`.
        part: String,
        /// The base as written.
        base: String,
    },
    /// A part has neither its own corpus nor a base: nothing could be established.
    #[error("part `{part}` has no corpus: give `required`, `alternative` or `base`")]
    EmptyCorpus {
        /// The part number.
        part: String,
    },
    /// A part with a `base` has no qualifying features, so it could not differ from its base.
    #[error("part `{part}` has a base but no qualifying `feature`")]
    NoFeatures {
        /// The part number.
        part: String,
    },
    /// A condition lists no facts.
    #[error("empty condition: give `all_of` and/or `any_of` facts")]
    EmptyCondition,
    /// An alternative lists no conditions.
    #[error("alternative `{label}` has no conditions")]
    EmptyAlternative {
        /// The alternative's label.
        label: String,
    },
    /// A penalty is malformed (missing term, minimum above maximum, wrong unit…).
    #[error("bad penalty: {reason}")]
    BadPenalty {
        /// What is wrong with it.
        reason: String,
    },
    /// A quoted, unabbreviated part has no penalty.
    #[error(
        "part `{part}` has no penalty; add [part.penalty] or mark the part `abbreviated = true`"
    )]
    MissingPenalty {
        /// The part number.
        part: String,
    },
    /// An article file has no parts.
    #[error("article {article} has no parts")]
    NoParts {
        /// The article number.
        article: u16,
    },
    /// The part's `trafficking_related` flag disagrees with the reconciliation rule's list.
    #[error(
        "article {article} part `{part}`: trafficking_related = {flag}, but rules.toml [reconciliation.covers] says {expected}"
    )]
    ReconciliationMismatch {
        /// The article number.
        article: u16,
        /// The part number.
        part: String,
        /// The flag in the article file.
        flag: bool,
        /// What the rule's list implies.
        expected: bool,
    },
    /// A `covers` entry or `special_over` names an article, part or item that is not in the data.
    #[error("unknown reference: {reference}")]
    UnknownReference {
        /// The reference as written.
        reference: String,
    },
}

impl DataIssue {
    /// An issue at a byte offset of `text` (the offset is clamped to the text).
    pub(crate) fn at(file: &str, text: &str, offset: usize, kind: IssueKind) -> Self {
        let (line, column) = line_col(text, offset);
        Self {
            file: file.to_string(),
            line,
            column,
            kind,
        }
    }
}

/// 1-based line and column (in characters) of a byte offset; never panics.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// An assessment request that cannot be answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum AssessError {
    /// An answer names a fact the library does not ask about.
    #[error("unknown fact `{fact}` in the answers")]
    UnknownFact {
        /// The name as given.
        fact: String,
    },
}

#[cfg(test)]
mod tests {
    use super::line_col;

    #[test]
    fn line_col_counts_lines_and_characters() {
        let text = "a = 1\nб = 2\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        // "б" is two bytes: offset 8 is the space after it, column 2.
        assert_eq!(line_col(text, 8), (2, 2));
        // Inside a multi-byte character and past the end: clamped, no panic.
        assert_eq!(line_col(text, 7), (2, 1));
        assert_eq!(line_col(text, 999), (3, 1));
    }
}
