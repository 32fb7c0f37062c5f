//! Errors of loading data files, each pointing at a file, line and column.

use std::fmt;
use std::ops::Range;

use thiserror::Error;

/// One problem found while loading a checklist, platform or safeguard file.
///
/// Administrators edit these files by hand; an error that names the file,
/// the line and the column lets them fix it without reading Rust.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{file}:{line}:{column}: {kind}")]
pub struct LoadError {
    /// The file name the caller gave (a path or a label such as `platforms.toml`).
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
    /// Two entries share a key, so references to it would be ambiguous.
    #[error("duplicate {what} `{key}` (first defined on line {first_line})")]
    Duplicate {
        /// What kind of entry.
        what: &'static str,
        /// The repeated key.
        key: String,
        /// Line of the first definition.
        first_line: usize,
    },
    /// A text is empty in one of the three languages.
    #[error("`{key}`: {field}_{lang} is empty; every text needs ru, kk and en")]
    MissingText {
        /// The entry's key.
        key: String,
        /// Which text (title, guidance…).
        field: &'static str,
        /// The language code whose text is missing (`ru`, `kk` or `en`).
        lang: &'static str,
    },
    /// Anything else structural (bad key, unknown group, zero hours…).
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

    /// Checks a `format = 1` header.
    pub fn check_format(&self, format: &toml::Spanned<u32>, errors: &mut Vec<LoadError>) {
        if *format.get_ref() != 1 {
            errors.push(self.error(
                format.span(),
                LoadErrorKind::Invalid("unsupported format; this version reads format = 1".into()),
            ));
        }
    }

    /// Records a key, reporting a duplicate with the line of its first use.
    pub fn unique(
        &self,
        what: &'static str,
        key: &toml::Spanned<String>,
        seen: &mut std::collections::BTreeMap<String, usize>,
        errors: &mut Vec<LoadError>,
    ) {
        let k = key.get_ref().clone();
        if let Some(first_line) = seen.get(&k) {
            errors.push(self.error(
                key.span(),
                LoadErrorKind::Duplicate {
                    what,
                    key: k,
                    first_line: *first_line,
                },
            ));
        } else {
            seen.insert(k, self.position(key.span().start).0);
        }
    }

    /// Checks that a key is `snake_case` ASCII, so it is stable in URLs and JSON.
    pub fn check_key(&self, key: &toml::Spanned<String>, errors: &mut Vec<LoadError>) {
        let k = key.get_ref();
        let ok = !k.is_empty()
            && k.starts_with(|c: char| c.is_ascii_lowercase())
            && k.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !ok {
            errors.push(self.error(
                key.span(),
                LoadErrorKind::Invalid(format!(
                    "key `{k}` must be snake_case ASCII (a-z, 0-9, _), starting with a letter"
                )),
            ));
        }
    }

    /// Builds a [`crate::Text3`] from three spanned strings, reporting every
    /// blank language at its own line so the editor lands on the empty value.
    pub fn text3(
        &self,
        key: &str,
        field: &'static str,
        [ru, kk, en]: [toml::Spanned<String>; 3],
        errors: &mut Vec<LoadError>,
    ) -> crate::Text3 {
        for (lang, t) in [("ru", &ru), ("kk", &kk), ("en", &en)] {
            if t.get_ref().trim().is_empty() {
                errors.push(self.error(
                    t.span(),
                    LoadErrorKind::MissingText {
                        key: key.to_string(),
                        field,
                        lang,
                    },
                ));
            }
        }
        crate::Text3 {
            ru: ru.into_inner(),
            kk: kk.into_inner(),
            en: en.into_inner(),
        }
    }
}
