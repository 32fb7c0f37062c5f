//! The name under which an investigator files evidence.
//!
//! Investigators type case names on the command line (`--case KUSP-2026-0412`),
//! so a name must be something a shell, a file system and a BagIt bag all carry
//! unchanged: no control characters, no path separators, a sane length.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a case name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseNameError {
    /// Nothing but white space.
    #[error("a case name cannot be empty")]
    Empty,
    /// Longer than [`CaseName::MAX_CHARS`].
    #[error("a case name has at most {max} characters, got {actual}")]
    TooLong {
        /// The limit.
        max: usize,
        /// Characters given.
        actual: usize,
    },
    /// Contains a control character or a path separator.
    #[error("a case name cannot contain {0:?}")]
    ForbiddenChar(char),
}

/// A validated case name, trimmed of surrounding white space.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseName(String);

impl CaseName {
    /// Longest accepted name, in characters.
    pub const MAX_CHARS: usize = 120;

    /// Validates a name as typed by a person.
    pub fn parse(text: &str) -> Result<Self, CaseNameError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(CaseNameError::Empty);
        }
        let count = trimmed.chars().count();
        if count > Self::MAX_CHARS {
            return Err(CaseNameError::TooLong {
                max: Self::MAX_CHARS,
                actual: count,
            });
        }
        if let Some(c) = trimmed
            .chars()
            .find(|c| c.is_control() || *c == '/' || *c == '\\')
        {
            return Err(CaseNameError::ForbiddenChar(c));
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CaseName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CaseName {
    type Error = CaseNameError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CaseName> for String {
    fn from(value: CaseName) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_cyrillic_and_trims() {
        assert_eq!(
            CaseName::parse("  КУСП-2026/1 ").unwrap_err(),
            CaseNameError::ForbiddenChar('/')
        );
        assert_eq!(CaseName::parse(" Іс №14 ").unwrap().as_str(), "Іс №14");
    }

    #[test]
    fn refuses_empty_long_and_control() {
        assert_eq!(CaseName::parse("  "), Err(CaseNameError::Empty));
        assert!(matches!(
            CaseName::parse(&"x".repeat(121)),
            Err(CaseNameError::TooLong { actual: 121, .. })
        ));
        assert_eq!(
            CaseName::parse("a\nb"),
            Err(CaseNameError::ForbiddenChar('\n'))
        );
    }

    proptest! {
        #[test]
        fn parsed_names_are_stable(text in "\\PC{0,130}") {
            if let Ok(name) = CaseName::parse(&text) {
                prop_assert_eq!(CaseName::parse(name.as_str()).unwrap(), name.clone());
                prop_assert!(!name.as_str().contains('/'));
            }
        }
    }
}
