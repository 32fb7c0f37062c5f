//! Reading bytes into an [`IdentityPayload`], with errors that say where.
//!
//! Why the two wrappers around serde_json: `serde_path_to_error` gives a
//! parse error the JSON path of the value it failed on, so the analyst can
//! find it in a file of several kilobytes; `serde_ignored` collects the keys
//! the model does not know, which validation then reports instead of the
//! reader dropping them without a word.
//!
//! Leniencies, so nothing is silently misread: `null` is read as absent;
//! like every serde-derived reader, an array holding an object's fields in
//! declaration order would be read as that object (no real payload does
//! this, and the round trip writes objects).

use serde::Serialize;
use thiserror::Error;

use crate::model::IdentityPayload;

/// What kind of failure stopped reading, for a caller that treats broken
/// syntax (a damaged file) differently from a well-formed file of the wrong
/// shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParseErrorKind {
    /// Not JSON: a stray character, bad escape, invalid UTF-8, nesting
    /// deeper than 128 levels.
    Syntax,
    /// The input ends in the middle of a value (a truncated file).
    Eof,
    /// JSON, but a value of the wrong type for its element (a string where
    /// an object belongs, a negative sequence number).
    Data,
}

/// Why a payload could not be read at all, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Error)]
#[error("{}", self.render())]
pub struct ParseError {
    /// JSON path of the value being read when reading failed (empty at the
    /// top level), in the same form as [`crate::Violation::path`].
    pub path: String,
    /// 1-based line of the input where it failed (0 if unknown).
    pub line: usize,
    /// 1-based column of the input where it failed (0 if unknown).
    pub column: usize,
    /// The kind of failure.
    pub kind: ParseErrorKind,
    /// What serde_json said, without its position suffix.
    pub message: String,
}

impl ParseError {
    fn render(&self) -> String {
        let position = format!("line {}, column {}", self.line, self.column);
        if self.path.is_empty() {
            format!("{position}: {}", self.message)
        } else {
            format!("{}: {} ({position})", self.path, self.message)
        }
    }

    fn from_json(path: String, e: &serde_json::Error) -> Self {
        let kind = match e.classify() {
            serde_json::error::Category::Eof => ParseErrorKind::Eof,
            serde_json::error::Category::Data => ParseErrorKind::Data,
            serde_json::error::Category::Syntax | serde_json::error::Category::Io => {
                ParseErrorKind::Syntax
            }
        };
        let full = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
        Self {
            path,
            line: e.line(),
            column: e.column(),
            kind,
            message,
        }
    }
}

/// Renders a `serde_path_to_error` path as `a.b[0].c`.
fn render_error_path(path: &serde_path_to_error::Path) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            serde_path_to_error::Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            serde_path_to_error::Segment::Map { key } => push_key(&mut out, key),
            serde_path_to_error::Segment::Enum { variant } => push_key(&mut out, variant),
            serde_path_to_error::Segment::Unknown => push_key(&mut out, "?"),
        }
    }
    out
}

/// Renders a `serde_ignored` path the same way.
fn render_ignored_path(path: &serde_ignored::Path<'_>) -> String {
    match path {
        serde_ignored::Path::Root => String::new(),
        serde_ignored::Path::Seq { parent, index } => {
            format!("{}[{index}]", render_ignored_path(parent))
        }
        serde_ignored::Path::Map { parent, key } => {
            let mut out = render_ignored_path(parent);
            push_key(&mut out, key);
            out
        }
        serde_ignored::Path::Some { parent }
        | serde_ignored::Path::NewtypeStruct { parent }
        | serde_ignored::Path::NewtypeVariant { parent } => render_ignored_path(parent),
    }
}

fn push_key(out: &mut String, key: &str) {
    if !out.is_empty() {
        out.push('.');
    }
    out.push_str(key);
}

/// Reads an IVMS101 `IdentityPayload` from JSON bytes, either edition.
///
/// Succeeds on any well-formed JSON object whose values have the right JSON
/// types, however incomplete: missing elements, unknown codes and unknown
/// keys are for [`crate::validate()`] to report. Never panics.
///
/// # Errors
/// [`ParseError`] when the bytes are not JSON, end early, are followed by
/// more than white space, or hold a value of the wrong type.
pub fn parse(bytes: &[u8]) -> Result<IdentityPayload, ParseError> {
    let mut unknown = Vec::new();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let read = {
        let mut note = |path: serde_ignored::Path<'_>| unknown.push(render_ignored_path(&path));
        let de = serde_ignored::Deserializer::new(&mut de, &mut note);
        serde_path_to_error::deserialize::<_, IdentityPayload>(de)
    };
    let mut payload = read.map_err(|e| {
        let path = render_error_path(e.path());
        ParseError::from_json(path, e.inner())
    })?;
    de.end()
        .map_err(|e| ParseError::from_json(String::new(), &e))?;
    payload.unknown_fields = unknown;
    Ok(payload)
}
